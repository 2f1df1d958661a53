package dev.debugport.sim.image;

import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.sim.memory.SimMemory;

/**
 * Maps an image view the way MiMapViewOfImageSection lays one out: the header page read-only, the rest
 * execute-read (the simulated images have one code section), with the PE headers written at the base.
 */
public final class ImageMapper {
    private ImageMapper() {
    }

    /**
     * Maps {@code image} at its base.
     *
     * @return false if the range is already in use
     */
    public static boolean map(SimMemory memory, ImageInfo image, boolean dll) {
        if (!memory.map(image.base(), image.size(), PageProtection.PAGE_READONLY)) {
            return false;
        }
        fill(memory, image, dll);
        return true;
    }

    /**
     * Maps an image of {@code size} bytes at the first free 64 KiB-aligned slot of [from, limit) and returns the
     * image description at that base (the "no preferred base" case of NtMapViewOfSection), or null if none is free.
     */
    public static ImageInfo mapAnywhere(SimMemory memory, String path, long size, boolean is32Bit, boolean dll, long from, long limit) {
        long base = memory.mapAnywhere(from, limit, size, ImageLayout.ALLOCATION_GRANULARITY, PageProtection.PAGE_READONLY);
        if (base == 0) {
            return null;
        }
        ImageInfo image = ImageLayout.image(path, base, size, is32Bit);
        fill(memory, image, dll);
        return image;
    }

    private static void fill(SimMemory memory, ImageInfo image, boolean dll) {
        if (image.size() > SimMemory.PAGE_SIZE) {
            memory.protect(image.base() + SimMemory.PAGE_SIZE, image.size() - SimMemory.PAGE_SIZE, PageProtection.PAGE_EXECUTE_READ);
        }
        byte[] headers = PeHeaders.build(image, dll);
        memory.write(image.base(), headers, 0, headers.length);
    }
}
