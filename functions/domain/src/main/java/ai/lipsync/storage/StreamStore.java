package ai.lipsync.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a session's HLS objects go as they are produced: {@code static/hls/{session}/} on the
 * embedded default, S3 on AWS. Readers see a file only once it is complete.
 */
public interface StreamStore {

    void put(String sessionId, StreamFile file, byte[] content) throws IOException;

    /** The stored object, or empty when it has not been published (yet). */
    Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException;

    /** A published object: its size and a way to read it (the caller closes the stream). */
    interface StoredObject {
        long size();

        String contentType();

        /** Opens the bytes [offset, offset + length). */
        InputStream open(long offset, long length) throws IOException;
    }
}
