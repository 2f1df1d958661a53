package dev.debugport.analysis.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed ELF files by path, read once each: every process maps the same libc and ld.so, so the symbol tables and
 * unwind tables are parsed the first time any debuggee needs them and shared afterwards. A file that changed on disk
 * (another size or modification time) is read again. Thread-safe.
 */
public final class ElfModules {
    private static final ElfModules SHARED = new ElfModules();

    private record FileKey(Path path, long size, long modified) {
    }

    private final ConcurrentHashMap<FileKey, Optional<ElfModule>> files = new ConcurrentHashMap<>();

    /** The cache every symbol table and stack walker of this JVM uses unless given its own. */
    public static ElfModules shared() {
        return SHARED;
    }

    /** The ELF file at {@code path}, parsed on first use; empty if it is missing or not an x86-64 ELF file. */
    public Optional<ElfModule> get(String path) {
        Path file;
        BasicFileAttributes attributes;
        try {
            file = Path.of(path).toAbsolutePath().normalize();
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            // A path of another system (C:\Windows\...) or a file that is gone: not an ELF module here.
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        FileKey key = new FileKey(file, attributes.size(), attributes.lastModifiedTime().toMillis());
        return files.computeIfAbsent(key, k -> ElfModule.read(k.path()));
    }
}
