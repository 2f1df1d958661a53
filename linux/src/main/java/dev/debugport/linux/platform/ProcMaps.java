package dev.debugport.linux.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /proc/pid/maps}: the mappings of a process, with their protection and backing file.
 *
 * <p>A process with many threads has a long file (a stack and a guard page per thread: over 2,000 lines for 1,000
 * threads), so it is scanned by hand, without a regular expression per line, and {@link #find} builds a record for
 * the one line it wants only.
 */
record ProcMaps(List<Mapping> mappings) {
    /** One line: {@code start-end perms offset dev inode path}. */
    record Mapping(long start, long end, String perms, long offset, String path) {
        boolean readable() {
            return perms.charAt(0) == 'r';
        }

        boolean writable() {
            return perms.charAt(1) == 'w';
        }

        boolean executable() {
            return perms.charAt(2) == 'x';
        }

        boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    /** Every mapping of {@code pid} (none when it is gone). */
    static ProcMaps read(int pid) {
        List<Mapping> out = new ArrayList<>();
        String text = text(pid);
        for (int line = 0; line < text.length(); line = lineEnd(text, line) + 1) {
            Mapping m = parse(text, line);
            if (m != null) {
                out.add(m);
            }
        }
        return new ProcMaps(List.copyOf(out));
    }

    /** The mapping of {@code pid} that contains {@code address}, reading the file once and parsing only its line. */
    static Optional<Mapping> find(int pid, long address) {
        String text = text(pid);
        int starting = lineStartingAt(text, address);
        if (starting >= 0) {
            return Optional.ofNullable(parse(text, starting));
        }
        for (int line = 0; line < text.length(); line = lineEnd(text, line) + 1) {
            int dash = text.indexOf('-', line);
            int space = dash < 0 ? -1 : text.indexOf(' ', dash);
            if (space < 0 || space > lineEnd(text, line)) {
                continue;
            }
            try {
                if (Long.compareUnsigned(address, hex(text, line, dash)) >= 0
                        && Long.compareUnsigned(address, hex(text, dash + 1, space)) < 0) {
                    return Optional.ofNullable(parse(text, line));
                }
            } catch (NumberFormatException e) {
                // not a mapping line
            }
        }
        return Optional.empty();
    }

    /**
     * Where the line of a mapping that starts exactly at {@code address} begins (-1 if none): one search for the text
     * the kernel prints ({@code %08lx-}), for the usual question, the mapping at a module's base.
     */
    private static int lineStartingAt(String text, long address) {
        String hex = Long.toHexString(address);
        String key = "0".repeat(Math.max(0, 8 - hex.length())) + hex + "-";
        if (text.startsWith(key)) {
            return 0;
        }
        int at = text.indexOf("\n" + key);
        return at < 0 ? -1 : at + 1;
    }

    private static String text(int pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/maps")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // gone: no mappings
        }
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    /** The line at {@code from}: {@code start-end perms offset dev inode [path]}; null if it has another shape. */
    private static Mapping parse(String text, int from) {
        int end = lineEnd(text, from);
        int dash = text.indexOf('-', from);
        int[] fieldEnd = new int[5];
        int at = from;
        for (int i = 0; i < 5; i++) {
            int space = text.indexOf(' ', at);
            if (space < 0 || space > end) {
                if (i < 4) {
                    return null;
                }
                space = end; // no path: the inode ends the line
            }
            fieldEnd[i] = space;
            at = space + 1;
        }
        if (dash < 0 || dash > fieldEnd[0]) {
            return null;
        }
        try {
            String path = at < end ? text.substring(at, end).strip() : "";
            return new Mapping(hex(text, from, dash), hex(text, dash + 1, fieldEnd[0]),
                    text.substring(fieldEnd[0] + 1, fieldEnd[1]), hex(text, fieldEnd[1] + 1, fieldEnd[2]), path);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static long hex(String text, int from, int to) {
        return Long.parseUnsignedLong(text, from, to, 16);
    }
}
