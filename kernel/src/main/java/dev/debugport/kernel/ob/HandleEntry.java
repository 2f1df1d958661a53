package dev.debugport.kernel.ob;

/** One HANDLE_TABLE_ENTRY: the object and the access the handle was granted. */
public record HandleEntry(NtObject object, int grantedAccess) {
}
