package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.linux.TestPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfCacheTest {
    private static final Path SMALL = Path.of(TestPrograms.path("libsmall.so"));

    @TempDir
    Path dir;

    @Test
    void symbolsAreFoundInTheDynamicTableAndUndefinedOnesAreNot() {
        ElfImage elf = ElfImage.read(SMALL).orElseThrow();
        assertTrue(elf.symbol("small_answer").isPresent(), "a defined function");
        assertEquals(Optional.empty(), elf.symbol("small_answe"), "a prefix of a name is not the name");
        assertEquals(Optional.empty(), elf.symbol("no_such_symbol"));
        assertTrue(elf.mappedSize() > 0);
    }

    @Test
    void aFileIsReadOnceWhileItStaysTheSame() throws IOException {
        Path lib = Files.copy(SMALL, dir.resolve("libcopy.so"));
        ElfCache cache = new ElfCache();
        ElfImage first = cache.get(lib.toString()).orElseThrow();
        assertSame(first, cache.get(lib.toString()).orElseThrow());
    }

    @Test
    void aFileReplacedAtTheSamePathIsReadAgain() throws IOException {
        Path lib = Files.copy(SMALL, dir.resolve("libcopy.so"));
        ElfCache cache = new ElfCache();
        ElfImage first = cache.get(lib.toString()).orElseThrow();
        Path other = Files.copy(Path.of(TestPrograms.path("store")), dir.resolve("other"));
        Files.move(other, lib, StandardCopyOption.REPLACE_EXISTING);
        ElfImage second = cache.get(lib.toString()).orElseThrow();
        assertNotSame(first, second);
        assertEquals(Optional.empty(), first.symbol("small_answer"),
                "the old image reads no symbols out of the file that replaced it");
        assertTrue(second.symbol("watched").isPresent());
    }

    @Test
    void aFileTouchedSinceIsReadAgain() throws IOException {
        Path lib = Files.copy(SMALL, dir.resolve("libcopy.so"));
        ElfCache cache = new ElfCache();
        ElfImage first = cache.get(lib.toString()).orElseThrow();
        Files.setLastModifiedTime(lib, FileTime.fromMillis(Files.getLastModifiedTime(lib).toMillis() - 60_000));
        assertNotSame(first, cache.get(lib.toString()).orElseThrow());
    }

    @Test
    void missingAndNonElfFilesHaveNoImage() throws IOException {
        ElfCache cache = new ElfCache();
        assertEquals(Optional.empty(), cache.get(dir.resolve("missing.so").toString()));
        Path text = Files.writeString(dir.resolve("text.so"), "not an ELF file");
        assertEquals(Optional.empty(), cache.get(text.toString()));
        Path tiny = Files.write(dir.resolve("tiny.so"), new byte[] {0x7F, 'E', 'L', 'F', 2, 1});
        assertEquals(Optional.empty(), cache.get(tiny.toString()), "a truncated header");
    }
}
