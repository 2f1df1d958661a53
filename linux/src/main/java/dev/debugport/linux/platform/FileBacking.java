package dev.debugport.linux.platform;

import dev.debugport.kernel.io.FileObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A real file behind a FileObject (the hFile of CREATE_PROCESS and LOAD_DLL events): positional reads, one channel. */
final class FileBacking implements FileObject.Backing {
    private final FileChannel channel;

    FileBacking(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) {
        try {
            int n = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
            return Math.max(0, n);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
