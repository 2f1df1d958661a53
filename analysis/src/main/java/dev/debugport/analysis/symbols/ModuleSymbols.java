package dev.debugport.analysis.symbols;

import dev.debugport.analysis.Symbol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The symbols of one loaded module, sorted by address for binary search. Where several names share an address (libc's
 * {@code puts} and {@code _IO_puts}), the one a person would write is preferred: fewer leading underscores, then
 * global before weak or local, then code before data, then the shorter name. Immutable.
 */
final class ModuleSymbols {
    /** A symbol and what ranks it among the names at its address. */
    record Candidate(Symbol symbol, boolean global, boolean code) {
    }

    private static final Comparator<Candidate> PREFERENCE = Comparator
            .comparingInt((Candidate c) -> leadingUnderscores(c.symbol().name()))
            .thenComparing(c -> !c.global())
            .thenComparing(c -> !c.code())
            .thenComparingInt(c -> c.symbol().name().length())
            .thenComparing(c -> c.symbol().name());

    private static final Comparator<Candidate> BY_ADDRESS = (a, b) -> Long.compareUnsigned(a.symbol().address(), b.symbol().address());

    static final ModuleSymbols NONE = new ModuleSymbols(List.of());

    private final long[] addresses;
    private final Symbol[] symbols;
    private final Map<String, Symbol> byName = new HashMap<>();
    private final Map<String, Symbol> byLowerName = new HashMap<>();

    /** The table of {@code candidates} (duplicates, as .symtab and .dynsym give them, are dropped). */
    ModuleSymbols(List<Candidate> candidates) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(BY_ADDRESS.thenComparing(PREFERENCE));
        List<Symbol> kept = new ArrayList<>(sorted.size());
        for (Candidate c : sorted) {
            Symbol s = c.symbol();
            Symbol last = kept.isEmpty() ? null : kept.getLast();
            if (last != null && last.address() == s.address() && last.name().equals(s.name())) {
                continue;
            }
            kept.add(s);
        }
        addresses = new long[kept.size()];
        symbols = kept.toArray(Symbol[]::new);
        for (int i = 0; i < symbols.length; i++) {
            addresses[i] = symbols[i].address();
        }
        List<Candidate> byPreference = new ArrayList<>(sorted);
        byPreference.sort(Comparator.comparing((Candidate c) -> !c.global()).thenComparing(c -> !c.code()));
        for (Candidate c : byPreference) {
            byName.putIfAbsent(c.symbol().name(), c.symbol());
            byLowerName.putIfAbsent(c.symbol().name().toLowerCase(Locale.ROOT), c.symbol());
        }
    }

    /** The preferred symbol at the highest address at or below {@code address}. */
    Optional<Symbol> atOrBelow(long address) {
        int low = 0;
        int high = addresses.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        while (found > 0 && addresses[found - 1] == addresses[found]) {
            found--;
        }
        return Optional.of(symbols[found]);
    }

    /** The symbol named exactly {@code name} (a global one if there are several). */
    Optional<Symbol> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The symbol whose name equals {@code name} ignoring case. */
    Optional<Symbol> namedIgnoringCase(String name) {
        return Optional.ofNullable(byLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every symbol whose name matches {@code pattern}, by address. */
    List<Symbol> matching(WildcardPattern pattern) {
        List<Symbol> out = new ArrayList<>();
        for (Symbol s : symbols) {
            if (pattern.matches(s.name())) {
                out.add(s);
            }
        }
        return out;
    }

    int size() {
        return symbols.length;
    }

    private static int leadingUnderscores(String name) {
        int n = 0;
        while (n < name.length() && name.charAt(n) == '_') {
            n++;
        }
        return n;
    }
}
