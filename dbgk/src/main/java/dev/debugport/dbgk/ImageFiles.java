package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.Handle;

/**
 * The image file handles Dbgk puts in CREATE_PROCESS and LOAD_DLL messages: opened as kernel handles while the
 * event is queued, and duplicated into the debugger's handle table when it is delivered.
 */
final class ImageFiles {
    private final Kernel kernel;

    ImageFiles(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Implements DbgkpSectionToFileHandle: opens the image's file as a kernel handle with GENERIC_READ |
     * SYNCHRONIZE; returns Handle.NULL on any failure (an unreadable image gives no handle, never an error).
     */
    Handle openKernelHandle(String path) {
        if (path == null) {
            return Handle.NULL;
        }
        NtResult<FileObject> file = kernel.platform().openImageFile(path);
        if (!file.isSuccess()) {
            return Handle.NULL;
        }
        Handle h = kernel.objectManager().insertKernelHandle(file.value(), FileObject.imageOpenAccess());
        file.value().dereference();
        return h;
    }

    /** Closes a kernel handle (ObCloseHandle in kernel mode); a null handle is ignored. */
    void closeKernelHandle(Handle handle) {
        if (!handle.isNull()) {
            kernel.objectManager().close(kernel.kernelCaller(), handle);
        }
    }

    /**
     * The file part of DbgkpOpenHandles: duplicates a kernel handle into the debugger's process with the same
     * access and closes the kernel handle. Returns Handle.NULL if there was none.
     */
    Handle moveToProcess(Handle kernelHandle, EProcess debugger) {
        if (kernelHandle.isNull()) {
            return Handle.NULL;
        }
        HandleEntry entry = kernel.objectManager().resolve(kernel.kernelCaller(), kernelHandle);
        Handle h = entry == null ? Handle.NULL
                : kernel.objectManager().openByPointer(debugger.handleTable(), entry.object(), entry.grantedAccess());
        closeKernelHandle(kernelHandle);
        return h;
    }
}
