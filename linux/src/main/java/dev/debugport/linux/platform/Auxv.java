package dev.debugport.linux.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The auxiliary vector the kernel gave a process at exec ({@code /proc/pid/auxv}: pairs of 64-bit type and value,
 * ending with AT_NULL). It names where the program headers of the executable are (AT_PHDR), the dynamic loader's
 * base (AT_BASE, 0 for a static executable), the entry point (AT_ENTRY) and the vDSO (AT_SYSINFO_EHDR).
 */
record Auxv(Map<Long, Long> entries) {
    static final long AT_PHDR = 3;
    static final long AT_PHNUM = 5;
    static final long AT_BASE = 7;
    static final long AT_ENTRY = 9;
    static final long AT_SYSINFO_EHDR = 33;

    static Auxv read(int pid) {
        Map<Long, Long> m = new HashMap<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/" + pid + "/auxv"))).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 16) {
                long type = b.getLong();
                long value = b.getLong();
                if (type == 0) {
                    break;
                }
                m.put(type, value);
            }
        } catch (IOException e) {
            // gone, or not ours to read: an empty vector
        }
        return new Auxv(Map.copyOf(m));
    }

    long get(long type) {
        return entries.getOrDefault(type, 0L);
    }
}
