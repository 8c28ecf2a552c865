package ai.lipsync.local.browser;

import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app's stream store with the generation held at a point: the put of the first session's
 * media segment after {@code listed} waits until a reader asks for a media segment (or the limit
 * passes). Meanwhile the stream is live with exactly {@code listed} segments in its playlist, so a
 * player that joins then must choose where to start in a stream that is still being generated;
 * once it asks for its first segment, the generation goes on.
 */
final class HeldStreamStore implements StreamStore {
    private final StreamStore delegate;
    private final int listed;
    private final Duration limit;
    private final AtomicInteger segmentsPut = new AtomicInteger();
    private final AtomicBoolean holding = new AtomicBoolean();
    private final CountDownLatch holdReached = new CountDownLatch(1);
    private final CountDownLatch readerAsked = new CountDownLatch(1);
    private final AtomicReference<String> askedWhileHeld = new AtomicReference<>();

    HeldStreamStore(StreamStore delegate, int listed, Duration limit) {
        this.delegate = delegate;
        this.listed = listed;
        this.limit = limit;
    }

    @Override
    public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
        if (isMediaSegment(file) && segmentsPut.getAndIncrement() == listed) {
            holding.set(true);
            holdReached.countDown();
            try {
                readerAsked.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.set(false);
            }
        }
        delegate.put(sessionId, file, content);
    }

    @Override
    public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
        if (isMediaSegment(file) && holding.get() && askedWhileHeld.compareAndSet(null, file.name())) {
            readerAsked.countDown();
        }
        return delegate.get(sessionId, file);
    }

    /** Waits until the generation is held (or has been): the playlist then lists exactly {@code listed} segments. */
    boolean awaitHold(Duration timeout) throws InterruptedException {
        return holdReached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first media segment a reader asked for while the generation was held; empty if none did. */
    Optional<String> askedWhileHeld() {
        return Optional.ofNullable(askedWhileHeld.get());
    }

    private static boolean isMediaSegment(StreamFile file) {
        return file.immutable() && !StreamFile.INIT.equals(file.name());
    }
}
