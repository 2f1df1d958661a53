package dev.debugport.linux.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /proc/pid/maps}: the mappings of a process, with their protection and backing file. */
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

    static ProcMaps read(int pid) {
        List<Mapping> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                String[] f = line.trim().split("\\s+", 6);
                if (f.length < 5) {
                    continue;
                }
                int dash = f[0].indexOf('-');
                long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                String path = f.length == 6 ? f[5] : "";
                out.add(new Mapping(start, end, f[1], Long.parseUnsignedLong(f[2], 16), path));
            }
        } catch (IOException | RuntimeException e) {
            // gone: no mappings
        }
        return new ProcMaps(List.copyOf(out));
    }

    Optional<Mapping> at(long address) {
        return mappings.stream().filter(m -> m.contains(address)).findFirst();
    }
}
