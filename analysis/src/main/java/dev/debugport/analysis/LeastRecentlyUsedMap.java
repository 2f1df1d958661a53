package dev.debugport.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that holds at most {@code capacity} entries: in access order, it drops the least recently used entry when a
 * put goes beyond that. For the caches the debugger keeps per debuggee (described addresses, decoded instructions),
 * which a long session would otherwise grow without bound.
 */
public final class LeastRecentlyUsedMap<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    public LeastRecentlyUsedMap(int capacity) {
        super(64, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
