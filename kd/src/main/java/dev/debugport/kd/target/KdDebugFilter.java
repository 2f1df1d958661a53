package dev.debugport.kd.target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DbgPrintEx filter (NtQueryDebugFilterState / NtSetDebugFilterState): a print of component C at level L reaches
 * the host if C's mask or the global Kd_WIN2000_Mask has L's bit (levels below 32 are bit numbers, larger levels are
 * masks themselves). Plain DbgPrint passes component {@link #DBGPRINT_COMPONENT}, which is never filtered (ReactOS).
 * Kd_WIN2000_Mask starts as DPFLTR_ERROR_LEVEL's bit (1), so errors always get through.
 */
final class KdDebugFilter {
    /** The component DbgPrint uses: always shown. */
    static final int DBGPRINT_COMPONENT = -1;
    /** DPFLTR_ERROR_LEVEL. */
    static final int ERROR_LEVEL = 0;

    private final Map<Integer, Integer> masks = new ConcurrentHashMap<>();
    private volatile int win2000Mask = 1;

    /** Implements NtQueryDebugFilterState. */
    boolean enabled(int componentId, int level) {
        if (componentId == DBGPRINT_COMPONENT) {
            return true;
        }
        int bits = mask(level);
        return ((masks.getOrDefault(componentId, 0) | win2000Mask) & bits) != 0;
    }

    /** Implements NtSetDebugFilterState. */
    void set(int componentId, int level, boolean state) {
        int bits = mask(level);
        masks.merge(componentId, state ? bits : 0, (old, x) -> state ? old | bits : old & ~bits);
    }

    void setWin2000Mask(int mask) {
        win2000Mask = mask;
    }

    private static int mask(int level) {
        return level < 32 ? 1 << level : level;
    }
}
