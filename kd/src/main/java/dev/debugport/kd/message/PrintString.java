package dev.debugport.kd.message;

/**
 * {@code DbgKdPrintStringApi} ({@code 0x3230}), union {@code DBGKD_PRINT_STRING}: the target prints; the
 * host ACKs and displays, and never replies. The extra data is the string, not NUL-terminated, at most
 * 4000 - 16 bytes.
 *
 * <pre>
 *  offset size  field
 *      0 u32   ApiNumber = 0x3230
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   LengthOfString
 *     12 u32   (unused)
 *     16 ...   the string bytes
 * </pre>
 *
 * @param lengthOfString LengthOfString: the number of string bytes
 */
public record PrintString(int lengthOfString) implements DebugIoApi {

    @Override
    public int apiNumber() {
        return PRINT_STRING_API;
    }
}
