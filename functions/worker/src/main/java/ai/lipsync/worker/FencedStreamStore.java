package ai.lipsync.worker;

import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** Stream writes pass only while the fence admits their session (see {@link JobFence}). */
final class FencedStreamStore implements StreamStore {
    private final StreamStore delegate;
    private final JobFence fence;

    FencedStreamStore(StreamStore delegate, JobFence fence) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    @Override
    public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
        if (!fence.admits(sessionId)) {
            throw new IOException("this worker no longer holds session " + sessionId + "; " + file.name()
                    + " was not written");
        }
        delegate.put(sessionId, file, content);
    }

    @Override
    public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
        return delegate.get(sessionId, file);
    }
}
