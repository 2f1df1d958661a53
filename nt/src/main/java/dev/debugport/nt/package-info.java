/**
 * The NT vocabulary shared by every debugport layer: NTSTATUS values, access masks, client ids,
 * handles, exception records, the AMD64 CONTEXT, the kernel's DBGKM_* debug messages, the DbgUi
 * DBGUI_WAIT_STATE_CHANGE, the Win32 DEBUG_EVENT and the Win32 error codes.
 *
 * <p>Everything here is an immutable value (record, enum or constant class) with no behaviour beyond
 * small conversions; the types are named after the NT structures they model, and each type's Javadoc
 * names that structure. Numeric values follow {@code spec/dbgk.md} §1.
 */
package dev.debugport.nt;
