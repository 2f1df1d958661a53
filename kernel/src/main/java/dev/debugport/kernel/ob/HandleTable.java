package dev.debugport.kernel.ob;

import dev.debugport.nt.Handle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-process handle table. Handle values are multiples of 4 starting at 4 and are not reused while the table
 * lives, so a closed handle stays invalid (later use gives STATUS_INVALID_HANDLE), which tests rely on.
 */
public final class HandleTable {
    private final Map<Long, HandleEntry> entries = new LinkedHashMap<>();
    private final long valueBase;
    private long nextIndex = 1;

    /** @param valueBase added to every handle value (the kernel table uses the high bit, like OBJ_KERNEL_HANDLE) */
    public HandleTable(long valueBase) {
        this.valueBase = valueBase;
    }

    synchronized Handle add(HandleEntry entry) {
        long value = valueBase | (nextIndex++ * 4);
        entries.put(value, entry);
        return Handle.of(value);
    }

    public synchronized HandleEntry lookup(Handle handle) {
        return entries.get(handle.value());
    }

    synchronized HandleEntry remove(Handle handle) {
        return entries.remove(handle.value());
    }

    /** Removes and returns every entry (used when the owning process is torn down). */
    synchronized List<HandleEntry> removeAll() {
        List<HandleEntry> all = new ArrayList<>(entries.values());
        entries.clear();
        return all;
    }

    /** The number of open handles. */
    public synchronized int size() {
        return entries.size();
    }

    /** A snapshot of the open handles and their entries, in creation order. */
    public synchronized Map<Handle, HandleEntry> snapshot() {
        Map<Handle, HandleEntry> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.put(Handle.of(k), v));
        return copy;
    }

    /** How many open handles refer to objects of the given type. */
    public synchronized long countOfType(ObjectType type) {
        return entries.values().stream().filter(e -> e.object().type() == type).count();
    }
}
