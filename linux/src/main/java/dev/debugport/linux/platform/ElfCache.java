package dev.debugport.linux.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ELF headers of the files the platform has looked at, read once per file: an entry is reused while the file at
 * its path is still the same one (device, inode, modification time and size), so an attach to a process that loaded
 * a hundred libraries reads each of them once per machine, and a program rebuilt at the same path is read again.
 */
final class ElfCache {
    /** What a path held when it was read: the image, or empty for a file that is not a readable ELF file. */
    private record Entry(ElfImage.FileIdentity identity, Optional<ElfImage> image) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The image at {@code path}; empty if the file is missing or not a 64-bit little-endian ELF file. */
    Optional<ElfImage> get(String path) {
        Path file = Path.of(path);
        Optional<ElfImage.FileIdentity> now = ElfImage.FileIdentity.of(file);
        if (now.isEmpty()) {
            entries.remove(path);
            return Optional.empty();
        }
        Entry cached = entries.get(path);
        if (cached != null && cached.identity().equals(now.get())) {
            return cached.image();
        }
        Optional<ElfImage> image = ElfImage.read(file, now.get());
        entries.put(path, new Entry(now.get(), image));
        return image;
    }
}
