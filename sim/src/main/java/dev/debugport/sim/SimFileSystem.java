package dev.debugport.sim;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated disk: file paths (case-insensitive, as NTFS names are looked up) to bytes. Every image the platform
 * maps exists here. A file can be made unreadable, so that the open Dbgk does for an event's hFile fails and the
 * debugger gets a null handle, as with an image the debugger's token may not read.
 */
public final class SimFileSystem {
    private record SimFile(String path, byte[] content, boolean readable) {
    }

    private final Map<String, SimFile> files = new ConcurrentHashMap<>();

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    /** Creates or replaces a file. */
    public void put(String path, byte[] content) {
        files.put(key(path), new SimFile(path, content.clone(), true));
    }

    /** Creates a file unless one exists at that path. */
    public void putIfAbsent(String path, byte[] content) {
        files.putIfAbsent(key(path), new SimFile(path, content.clone(), true));
    }

    public boolean exists(String path) {
        return files.containsKey(key(path));
    }

    /** Removes a file; returns whether it existed. */
    public boolean delete(String path) {
        return files.remove(key(path)) != null;
    }

    /**
     * Makes a file readable or not (an ACL that denies the opener read access).
     *
     * @return false if there is no such file
     */
    public boolean setReadable(String path, boolean readable) {
        return files.computeIfPresent(key(path), (k, f) -> new SimFile(f.path(), f.content(), readable)) != null;
    }

    public Optional<byte[]> contents(String path) {
        SimFile f = files.get(key(path));
        return f == null ? Optional.empty() : Optional.of(f.content().clone());
    }

    /** The paths of all files, sorted. */
    public List<String> paths() {
        return files.values().stream().map(SimFile::path).sorted().toList();
    }

    /**
     * Implements the platform half of an image-file open (IoCreateFile with GENERIC_READ, as DbgkpSectionToFileHandle
     * opens it): STATUS_OBJECT_NAME_NOT_FOUND for a missing file, STATUS_ACCESS_DENIED for an unreadable one.
     */
    public NtResult<FileObject> open(String path) {
        SimFile f = files.get(key(path));
        if (f == null) {
            return NtResult.fail(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        if (!f.readable()) {
            return NtResult.fail(NtStatus.STATUS_ACCESS_DENIED);
        }
        byte[] snapshot = f.content();
        return NtResult.ok(new FileObject(f.path(), new FileObject.Backing() {
            @Override
            public int read(long position, byte[] buffer, int offset, int length) {
                if (position < 0 || position >= snapshot.length) {
                    return 0;
                }
                int n = (int) Math.min(length, snapshot.length - position);
                System.arraycopy(snapshot, (int) position, buffer, offset, n);
                return n;
            }

            @Override
            public void close() {
                // Nothing to release: the bytes are an immutable snapshot.
            }
        }));
    }
}
