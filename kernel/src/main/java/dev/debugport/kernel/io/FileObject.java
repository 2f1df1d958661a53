package dev.debugport.kernel.io;

import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectType;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.GenericMapping;

/**
 * A FILE_OBJECT opened on an image file: what the hFile of CREATE_PROCESS and LOAD_DLL events refers to. The
 * platform attaches whatever backs the file (bytes of a simulated file, a real file path); the last reference
 * releases it.
 */
public final class FileObject extends NtObject {
    public static final ObjectType TYPE = new ObjectType("File", GenericMapping.FILE, 0x1F01FF,
            (process, object, access, count) -> { }, o -> ((FileObject) o).backing.close());

    /** What backs an open file on a platform. */
    public interface Backing extends AutoCloseable {
        /** Reads up to {@code length} bytes at {@code position}; returns the count read (0 at the end). */
        int read(long position, byte[] buffer, int offset, int length);

        @Override
        void close();
    }

    private final String path;
    private final Backing backing;

    public FileObject(String path, Backing backing) {
        super(TYPE);
        this.path = path;
        this.backing = backing;
    }

    public String path() {
        return path;
    }

    public int read(long position, byte[] buffer, int offset, int length) {
        return backing.read(position, buffer, offset, length);
    }

    /** The access Dbgk opens image files with (GENERIC_READ | SYNCHRONIZE, spec §1.7). */
    public static int imageOpenAccess() {
        return AccessMask.FILE_GENERIC_READ_SYNCHRONIZE;
    }
}
