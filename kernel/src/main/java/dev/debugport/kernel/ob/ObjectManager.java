package dev.debugport.kernel.ob;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The object manager (Ob): inserting objects into handle tables, referencing objects by handle with the type and
 * access checks NT makes, closing handles (running the type's close procedure), and the object namespace for named
 * objects. The kernel handle table holds OBJ_KERNEL_HANDLE handles (values with the high bit set).
 */
public final class ObjectManager {
    /** The high bit NT uses to mark kernel handles. */
    public static final long KERNEL_HANDLE_BIT = 0xFFFFFFFF80000000L;

    private final HandleTable kernelTable = new HandleTable(KERNEL_HANDLE_BIT);
    private final Map<String, NtObject> namespace = new HashMap<>();

    /** Who is asking: the handle table to use, the objects the pseudo-handles stand for, and the previous mode. */
    public record Caller(HandleTable table, NtObject currentProcess, NtObject currentThread, ProcessorMode mode) {
    }

    /**
     * Implements ObInsertObject: gives {@code object} a name (if {@code name} is non-null) and a handle with
     * {@code desiredAccess} (generic rights mapped; MAXIMUM_ALLOWED grants every valid right) in {@code table}.
     * The handle holds one reference; the caller's own reference is consumed.
     */
    public NtResult<Handle> insert(HandleTable table, NtObject object, int desiredAccess, String name) {
        if (name != null) {
            synchronized (namespace) {
                if (namespace.containsKey(name)) {
                    object.dereference();
                    return NtResult.fail(NtStatus.STATUS_OBJECT_NAME_COLLISION);
                }
                namespace.put(name, object);
                object.setName(name);
            }
        }
        Handle h = addHandle(table, object, grantFor(object.type(), desiredAccess));
        return NtResult.ok(h);
    }

    /** Inserts a kernel handle (OBJ_KERNEL_HANDLE); takes a new reference for it. */
    public Handle insertKernelHandle(NtObject object, int desiredAccess) {
        object.reference();
        return addHandle(kernelTable, object, grantFor(object.type(), desiredAccess));
    }

    /**
     * Implements ObOpenObjectByPointer: a new handle in {@code table} to an object the caller already references.
     * Takes a new reference for the handle.
     */
    public Handle openByPointer(HandleTable table, NtObject object, int desiredAccess) {
        object.reference();
        return addHandle(table, object, grantFor(object.type(), desiredAccess));
    }

    private Handle addHandle(HandleTable table, NtObject object, int granted) {
        object.incrementHandleCount();
        return table.add(new HandleEntry(object, granted));
    }

    private static int grantFor(ObjectType type, int desiredAccess) {
        if ((desiredAccess & AccessMask.MAXIMUM_ALLOWED) != 0) {
            return type.validAccessMask();
        }
        return type.genericMapping().map(desiredAccess) & type.validAccessMask();
    }

    /**
     * Implements ObReferenceObjectByHandle: resolves {@code handle} for the caller, checks the type (if given) and,
     * for user-mode callers, that the handle grants every bit of {@code desiredAccess}. On success the object is
     * referenced and the caller must dereference it.
     */
    public <T extends NtObject> NtResult<T> referenceByHandle(Caller caller, Handle handle, int desiredAccess, ObjectType type, Class<T> javaType) {
        HandleEntry entry = resolve(caller, handle);
        if (entry == null) {
            return NtResult.fail(NtStatus.STATUS_INVALID_HANDLE);
        }
        NtObject object = entry.object();
        if (type != null && object.type() != type) {
            return NtResult.fail(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        }
        if (caller.mode() == ProcessorMode.USER) {
            int wanted = object.type().genericMapping().map(desiredAccess);
            if ((entry.grantedAccess() & wanted) != wanted) {
                return NtResult.fail(NtStatus.STATUS_ACCESS_DENIED);
            }
        }
        if (!javaType.isInstance(object)) {
            return NtResult.fail(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        }
        object.reference();
        return NtResult.ok(javaType.cast(object));
    }

    /** The handle entry a handle value names for this caller, or null. Pseudo-handles grant full access. */
    public HandleEntry resolve(Caller caller, Handle handle) {
        if (handle.equals(Handle.CURRENT_PROCESS)) {
            return caller.currentProcess() == null ? null : new HandleEntry(caller.currentProcess(), 0x1FFFFF);
        }
        if (handle.equals(Handle.CURRENT_THREAD)) {
            return caller.currentThread() == null ? null : new HandleEntry(caller.currentThread(), 0x1FFFFF);
        }
        if (isKernelHandle(handle)) {
            return caller.mode() == ProcessorMode.KERNEL ? kernelTable.lookup(handle) : null;
        }
        return caller.table() == null ? null : caller.table().lookup(handle);
    }

    /** NtCurrentProcess (-1), NtCurrentThread (-2) and the other small negative pseudo-handle values. */
    static boolean isPseudo(Handle handle) {
        return handle.value() < 0 && handle.value() >= -6;
    }

    private static boolean isKernelHandle(Handle handle) {
        return handle.value() < 0 && (handle.value() & KERNEL_HANDLE_BIT) == KERNEL_HANDLE_BIT && !isPseudo(handle);
    }

    /**
     * Implements NtClose / ObCloseHandle: removes the handle, runs the type's close procedure (with the handle
     * count before the close, so a count of 1 means the last handle), then drops the handle's reference. Closing a
     * pseudo-handle (-1..-6) succeeds and does nothing (Windows 10; Wine exception tests, test_closehandle).
     */
    public NtStatus close(Caller caller, Handle handle) {
        if (isPseudo(handle)) {
            return NtStatus.STATUS_SUCCESS;
        }
        HandleTable table = isKernelHandle(handle)
                ? (caller.mode() == ProcessorMode.KERNEL ? kernelTable : null)
                : caller.table();
        HandleEntry entry = table == null || isPseudo(handle) ? null : table.remove(handle);
        if (entry == null) {
            return NtStatus.STATUS_INVALID_HANDLE;
        }
        closeEntry(caller.currentProcess(), entry);
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements ObKillProcess: closes every handle of a table (the process is being torn down). */
    public void closeAll(NtObject process, HandleTable table) {
        List<HandleEntry> entries = table.removeAll();
        for (HandleEntry e : entries) {
            closeEntry(process, e);
        }
    }

    private void closeEntry(NtObject process, HandleEntry entry) {
        NtObject object = entry.object();
        object.type().closeProcedure().onClose(process, object, entry.grantedAccess(), object.handleCount());
        if (object.decrementHandleCount() == 0 && object.name() != null) {
            synchronized (namespace) {
                namespace.remove(object.name(), object);
            }
        }
        object.dereference();
    }

    /** Looks up a named object (for tests and diagnostics; NT has no NtOpenDebugObject). */
    public NtObject lookupName(String name) {
        synchronized (namespace) {
            return namespace.get(name);
        }
    }

    /** Counts the open handles of a type in one table (what NtQueryObject-based detection counts). */
    public HandleTable kernelTable() {
        return kernelTable;
    }
}
