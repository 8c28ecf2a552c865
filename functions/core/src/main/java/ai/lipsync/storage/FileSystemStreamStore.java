package ai.lipsync.storage;

import ai.lipsync.session.SessionArtifacts;
import ai.lipsync.session.SessionFolders;
import ai.lipsync.session.SessionIds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded default {@link StreamStore}: {@code {baseDir}/{session}/{file}} on the local disk.
 * Files are written to a temporary name and moved into place, so a reader (the HTTP server, a
 * player polling the playlist) never sees half a segment.
 */
public final class FileSystemStreamStore implements StreamStore, SessionArtifacts {
    private final Path baseDir;

    public FileSystemStreamStore(Path baseDir) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
    }

    /** The spec's location, {@code static/hls} under the working directory. */
    public static FileSystemStreamStore defaultStore() {
        return new FileSystemStreamStore(Path.of("static", "hls"));
    }

    public Path baseDir() {
        return baseDir;
    }

    @Override
    public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
        AtomicFiles.write(resolve(sessionId, file), content);
    }

    @Override
    public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
        Path path = resolve(sessionId, file);
        try {
            long size = Files.size(path);
            return Optional.of(new FileObject(path, size, file.contentType()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Deletes {@code {baseDir}/{session}/} and what it holds: the session's stream has expired. */
    @Override
    public void delete(String sessionId) throws IOException {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        DirectoryTrees.delete(baseDir.resolve(sessionId));
    }

    @Override
    public Optional<SessionFolders> folders() {
        return Optional.of(SessionFolders.namedById(baseDir));
    }

    /** Only well-formed session ids and the stream's own file names reach the disk. */
    private Path resolve(String sessionId, StreamFile file) {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        Objects.requireNonNull(file, "file");
        StreamFile checked = StreamFile.parse(file.name())
                .orElseThrow(() -> new IllegalArgumentException("not a stream file name: " + file.name()));
        Path path = baseDir.resolve(sessionId).resolve(checked.name()).normalize();
        if (!path.startsWith(baseDir)) {
            throw new IllegalArgumentException("path escapes the store: " + path);
        }
        return path;
    }

    private record FileObject(Path path, long size, String contentType) implements StoredObject {
        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException(
                        "range [" + offset + ", " + (offset + length) + ") outside 0.." + size);
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                channel.position(offset);
                return new BoundedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** Reads at most {@code remaining} bytes, then reports the end. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
