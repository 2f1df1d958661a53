package dev.debugport.kd.message;

/**
 * The API-specific part of a {@link DbgkdDebugIo}: the 8-byte union at offset 8 of the 16-byte header.
 */
public sealed interface DebugIoApi permits PrintString, GetString, UnknownDebugIo {

    /** {@code DbgKdPrintStringApi}. */
    int PRINT_STRING_API = 0x3230;
    /** {@code DbgKdGetStringApi}. */
    int GET_STRING_API = 0x3231;

    /** @return the ApiNumber field */
    int apiNumber();
}
