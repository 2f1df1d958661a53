package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import java.util.List;

/** cdb's address ranges: {@code Address}, {@code Address L Count}, {@code Address LCount}, {@code Address EndAddress}. */
final class Ranges {
    /** The most units one command reads: a bigger L asks for a confirmation in cdb; here it is refused. */
    static final long MAX_UNITS = 0x100000;

    /** A start address and a number of units (bytes, words... as the command counts). */
    record Range(long address, long count) {
    }

    private Ranges() {
    }

    /**
     * Parses {@code words} (after the command's own options) as a range.
     *
     * @param defaultAddress used when no address is given (-1: an address is needed)
     * @param defaultCount   units when no length is given
     * @param unit           bytes per unit, for an end address
     */
    static Range parse(Debugger d, List<String> words, long defaultAddress, long defaultCount, int unit)
            throws UsageException, ExpressionException {
        if (words.isEmpty()) {
            if (defaultAddress == -1) {
                throw UsageException.badArguments("an address is needed");
            }
            return new Range(defaultAddress, defaultCount);
        }
        long address = d.evaluate(words.getFirst());
        long count = defaultCount;
        if (words.size() >= 2) {
            String second = words.get(1);
            String lengthText;
            if (second.equalsIgnoreCase("l") && words.size() >= 3) {
                lengthText = words.get(2);
            } else if ((second.startsWith("L") || second.startsWith("l")) && second.length() > 1) {
                lengthText = second.substring(1);
            } else {
                lengthText = null;
            }
            if (lengthText != null) {
                count = d.evaluate(lengthText);
            } else {
                long end = d.evaluate(second);
                if (Long.compareUnsigned(end, address) <= 0) {
                    throw UsageException.badArguments("the end address is not above the start");
                }
                count = Math.max(1, (end - address + unit - 1) / unit);
            }
            int used = lengthText != null && second.length() == 1 ? 3 : 2;
            if (words.size() > used) {
                throw UsageException.badArguments("unexpected '" + words.get(used) + "'");
            }
        }
        if (count <= 0 || count > MAX_UNITS) {
            throw UsageException.badArguments("the length must be between 1 and 0x" + Long.toHexString(MAX_UNITS));
        }
        return new Range(address, count);
    }
}
