package dev.debugport.debugger.breakpoints;

import dev.debugport.debugger.target.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/** The breakpoints of a session, by id (the lowest free id is reused, as cdb does). */
public final class BreakpointTable {
    /** Debug registers DR0-DR3: four hardware breakpoints per process. */
    public static final int HARDWARE_SLOTS = 4;

    private final TreeMap<Integer, Breakpoint> byId = new TreeMap<>();

    public int nextId() {
        int id = 0;
        while (byId.containsKey(id)) {
            id++;
        }
        return id;
    }

    public void add(Breakpoint b) {
        byId.put(b.id(), b);
    }

    public Optional<Breakpoint> get(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<Breakpoint> remove(int id) {
        return Optional.ofNullable(byId.remove(id));
    }

    public Collection<Breakpoint> all() {
        return byId.values();
    }

    /** A software breakpoint already set on the same expression/address of the process (bp twice updates one). */
    public Optional<Breakpoint> softwareAt(Target target, long address) {
        return byId.values().stream()
                .filter(b -> b.target() == target && b.kind() == Breakpoint.Kind.SOFTWARE && b.address().orElse(~address) == address)
                .findFirst();
    }

    /** The enabled breakpoints of {@code target} armed at {@code address}, of the given kind. */
    public List<Breakpoint> armedAt(Target target, long address, Breakpoint.Kind kind) {
        List<Breakpoint> hits = new ArrayList<>();
        for (Breakpoint b : byId.values()) {
            if (b.target() == target && b.kind() == kind && b.armedAt(address)) {
                hits.add(b);
            }
        }
        return hits;
    }

    /** The addresses of the enabled, resolved software breakpoints of {@code target}. */
    public List<Long> softwareAddresses(Target target) {
        List<Long> addresses = new ArrayList<>();
        for (Breakpoint b : byId.values()) {
            if (b.target() == target && b.kind() == Breakpoint.Kind.SOFTWARE && b.enabled() && b.address().isPresent()) {
                addresses.add(b.address().getAsLong());
            }
        }
        return addresses;
    }

    /** The hardware breakpoints of {@code target}, enabled or not. */
    public List<Breakpoint> hardware(Target target) {
        List<Breakpoint> hardware = new ArrayList<>();
        for (Breakpoint b : byId.values()) {
            if (b.target() == target && b.kind() == Breakpoint.Kind.HARDWARE) {
                hardware.add(b);
            }
        }
        return hardware;
    }

    /** The hardware breakpoint of {@code target} in debug-register slot {@code slot}. */
    public Optional<Breakpoint> hardwareInSlot(Target target, int slot) {
        return byId.values().stream()
                .filter(b -> b.target() == target && b.kind() == Breakpoint.Kind.HARDWARE && b.slot() == slot)
                .findFirst();
    }

    /** The first debug-register slot no hardware breakpoint of {@code target} uses, or -1. */
    public int freeSlot(Target target) {
        for (int slot = 0; slot < HARDWARE_SLOTS; slot++) {
            if (hardwareInSlot(target, slot).isEmpty()) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Resolves the deferred breakpoints of {@code target} that have no address yet (bu, or bp on a symbol of a module
     * not loaded at the time) after a module load.
     *
     * @return those that were resolved now
     */
    public List<Breakpoint> resolveDeferred(Target target, Function<String, OptionalLong> resolver) {
        List<Breakpoint> resolved = new ArrayList<>();
        for (Breakpoint b : byId.values()) {
            if (b.target() == target && b.deferred() && b.address().isEmpty()) {
                OptionalLong at = resolver.apply(b.expression());
                if (at.isPresent()) {
                    b.resolve(at.getAsLong());
                    resolved.add(b);
                }
            }
        }
        return resolved;
    }

    /** Forgets every breakpoint of a process that is gone. */
    public void removeTarget(Target target) {
        byId.values().removeIf(b -> b.target() == target);
    }
}
