package ai.lipsync.testing;

import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The storage port in memory, for tests that publish files by hand (the app uses the filesystem store). */
public final class MemoryStreamStore implements StreamStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public void put(String sessionId, StreamFile file, byte[] content) {
        objects.put(sessionId + "/" + file.name(), content.clone());
    }

    @Override
    public Optional<StoredObject> get(String sessionId, StreamFile file) {
        byte[] b = objects.get(sessionId + "/" + file.name());
        if (b == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredObject() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public String contentType() {
                return file.contentType();
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(b, (int) offset, (int) length);
            }
        });
    }
}
