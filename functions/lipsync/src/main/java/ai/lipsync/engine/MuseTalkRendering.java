package ai.lipsync.engine;

import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.AudioPrompts;
import ai.lipsync.musetalk.AudioWindows;
import ai.lipsync.musetalk.GraphPredictor;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.UNetInput;
import ai.lipsync.musetalk.WhisperSteps;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.SessionCancelledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.lipsync.session.SessionLogContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A range of a session's frames ({@code [from, to)} on the stream's timeline, so the avatar's frame
 * cycle runs on from the range before). Three threads, joined by bounded queues so none runs ahead unboundedly:
 * the inference thread (UNet then VAE decode, batch after batch, with its own predictors so their
 * native memory is freed when it ends), the compose thread (resize + blend in frame order, source
 * frames for silences) and the calling thread, which hands frames to the sink (the encoder).
 * Whichever fails first stops the others; all have ended when {@link #renderTo} returns or throws,
 * even when the calling thread is interrupted (a libtorch call cannot be, and the models must outlive
 * it). The stream's engine lease is held meanwhile: an engine closing asks this rendering to stop at its
 * next batch ({@code service_stopped}) and waits for that; the stream stopped (the session cancelled)
 * ends it the same way for this session alone.
 */
final class MuseTalkRendering {
    private static final Logger log = LoggerFactory.getLogger(MuseTalkRendering.class);

    /** Everything needed to cut any frame's audio window. */
    record Prompts(AudioWindows windows, WhisperSteps features, long samples) {
        AudioPrompts at(int[] frames) {
            return windows.promptsAt(features, samples, frames);
        }
    }

    /** A decoded batch: the frames it is for (ascending) and their 256x256 faces. */
    private record FaceBatch(int[] frames, List<BgrImage> faces) {
    }

    /** A queue entry: a value, or the failure that ended its producer. */
    private record Slot<T>(T value, Throwable failure) {
        static <T> Slot<T> of(T value) {
            return new Slot<>(value, null);
        }

        static <T> Slot<T> failed(Throwable failure) {
            return new Slot<>(null, failure);
        }
    }

    private record Frame(int index, BgrImage image) {
    }

    private final String sessionId;
    private final PreparedAvatar prepared;
    private final MuseTalkModels models;
    private final FaceCompositor compositor;
    private final Prompts prompts;
    private final float[] weights;
    private final int from;
    private final int to;
    private final int batch;
    private final int queuedBatches;
    private final ActiveRenderings.Lease lease;
    private final AtomicLong unetNanos = new AtomicLong();
    private final AtomicLong vaeNanos = new AtomicLong();
    private final AtomicLong composeNanos = new AtomicLong();

    MuseTalkRendering(String sessionId, PreparedAvatar prepared, MuseTalkModels models, FaceCompositor compositor,
            Prompts prompts, float[] weights, int from, int to, int batch, int queuedBatches,
            ActiveRenderings.Lease lease) {
        java.util.Objects.checkFromToIndex(from, to, weights.length);
        this.sessionId = sessionId;
        this.prepared = prepared;
        this.models = models;
        this.compositor = compositor;
        this.prompts = prompts;
        this.weights = weights;
        this.from = from;
        this.to = to;
        this.batch = batch;
        this.queuedBatches = queuedBatches;
        this.lease = lease;
    }

    /** The frames of the range that show a generated face (weight above 0), ascending. */
    int[] generatedFrames() {
        return java.util.stream.IntStream.range(from, to).filter(f -> weights[f] > 0).toArray();
    }

    /** Renders the range's frames, in order, into {@code sink}. */
    void renderTo(FrameSink sink) {
        int[] generated = generatedFrames();
        BlockingQueue<Slot<FaceBatch>> faces = new ArrayBlockingQueue<>(queuedBatches);
        BlockingQueue<Slot<Frame>> frames = new ArrayBlockingQueue<>(Math.max(2, batch * queuedBatches));
        AtomicInteger started = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "musetalk-" + (started.getAndIncrement() == 0 ? "infer" : "compose") + "-" + sessionId);
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long sinkNanos = 0;
        try {
            // The session id stays in these threads' log lines (and their JSON fields).
            threads.execute(SessionLogContext.carried(() -> infer(generated, faces)));
            threads.execute(SessionLogContext.carried(() -> compose(faces, frames)));
            for (int i = from; i < to; i++) {
                Frame frame = take(frames);
                if (frame.index() != i) {
                    throw new IllegalStateException("frame " + frame.index() + " arrived where " + i + " was due");
                }
                long t = System.nanoTime();
                sink.accept(i, frame.image());
                sinkNanos += System.nanoTime() - t;
            }
        } finally {
            threads.shutdownNow();
            awaitStopped(threads);
        }
        log.info("[session={} engine=musetalk-1.5] {} frames ({} generated, batch {}) in {} ms: unet {} ms, "
                        + "vae_decode {} ms, compose {} ms, sink {} ms", sessionId, to - from, generated.length,
                batch, millis(System.nanoTime() - start), millis(unetNanos.get()), millis(vaeNanos.get()),
                millis(composeNanos.get()), millis(sinkNanos));
    }

    /** Inference thread: UNet -> VAE decode per fixed-size batch, the last one padded with its last frame. */
    private void infer(int[] generated, BlockingQueue<Slot<FaceBatch>> out) {
        try (GraphPredictor<UNetInput, LatentBatch> unet = models.unet().newPredictor();
             GraphPredictor<LatentBatch, List<BgrImage>> vae = models.vaeDecoder().newPredictor()) {
            Avatar avatar = prepared.avatar();
            for (int from = 0; from < generated.length; from += batch) {
                int count = Math.min(batch, generated.length - from);
                int[] real = Arrays.copyOfRange(generated, from, from + count);
                int[] padded = Arrays.copyOf(real, batch);
                Arrays.fill(padded, count, batch, real[count - 1]);
                List<LatentBatch> latents = new ArrayList<>(batch);
                for (int f : padded) {
                    latents.add(prepared.latents().frame(avatar.sourceIndex(f)));
                }
                stopIfAsked();
                long t0 = System.nanoTime();
                LatentBatch predicted = unet.predict(new UNetInput(LatentBatch.concat(latents), prompts.at(padded)));
                long t1 = System.nanoTime();
                stopIfAsked();
                List<BgrImage> decoded = vae.predict(predicted);
                long t2 = System.nanoTime();
                unetNanos.addAndGet(t1 - t0);
                vaeNanos.addAndGet(t2 - t1);
                out.put(Slot.of(new FaceBatch(real, List.copyOf(decoded.subList(0, count)))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by renderTo: nobody waits for more
        } catch (Throwable e) {
            offerFailure(out, e);
        }
    }

    /**
     * Before each libtorch call: the engine is closing, the session was cancelled, or renderTo has
     * given up on this rendering.
     */
    private void stopIfAsked() throws InterruptedException {
        if (lease.stopRequested()) {
            throw ActiveRenderings.stopped();
        }
        if (lease.cancelled()) {
            throw new SessionCancelledException(sessionId);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("rendering stopped");
        }
    }

    /** Compose thread: every frame in order; generated faces pasted through the mask, faded near silences. */
    private void compose(BlockingQueue<Slot<FaceBatch>> in, BlockingQueue<Slot<Frame>> out) {
        try {
            Avatar avatar = prepared.avatar();
            FaceBatch current = null;
            int pos = 0;
            for (int f = from; f < to; f++) {
                int src = avatar.sourceIndex(f);
                BgrImage source = avatar.frames().get(src);
                if (weights[f] <= 0) {
                    out.put(Slot.of(new Frame(f, source)));
                    continue;
                }
                if (current == null || pos == current.frames().length) {
                    current = take(in);
                    pos = 0;
                }
                if (current.frames()[pos] != f) {
                    throw new IllegalStateException("face for frame " + current.frames()[pos] + " arrived where "
                            + f + " was due");
                }
                long t = System.nanoTime();
                BlendMask mask = prepared.masks().get(src);
                BgrImage composed = compositor.compose(source, current.faces().get(pos++), prepared.faceBoxes().get(src),
                        mask.cropBox(), mask.mask());
                if (weights[f] < 1) {
                    composed = crossFade(source, composed, weights[f], mask.cropBox());
                }
                composeNanos.addAndGet(System.nanoTime() - t);
                out.put(Slot.of(new Frame(f, composed)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            offerFailure(out, e);
        }
    }

    /**
     * {@code source + w * (composed - source)}, inside the crop box only (the compositor changes
     * nothing outside it); written into {@code composed}.
     */
    static BgrImage crossFade(BgrImage source, BgrImage composed, float w, PixelBox box) {
        byte[] s = source.data();
        byte[] c = composed.data();
        int x0 = Math.max(0, box.x1());
        int x1 = Math.min(source.width(), box.x2());
        for (int y = Math.max(0, box.y1()); y < Math.min(source.height(), box.y2()); y++) {
            for (int i = (y * source.width() + x0) * 3; i < (y * source.width() + x1) * 3; i++) {
                int a = s[i] & 0xFF;
                c[i] = (byte) Math.round(a + w * ((c[i] & 0xFF) - a));
            }
        }
        return composed;
    }

    /** The next value, or the producer's failure rethrown here (unchanged when it is unchecked). */
    private static <T> T take(BlockingQueue<Slot<T>> queue) {
        Slot<T> slot;
        try {
            slot = queue.take();
        } catch (InterruptedException e) {
            // Only a shutdown interrupts a generation thread (the job queue's shutdownNow).
            Thread.currentThread().interrupt();
            GenerationException stopped = ActiveRenderings.stopped();
            stopped.initCause(e);
            throw stopped;
        }
        if (slot.failure() == null) {
            return slot.value();
        }
        Throwable failure = slot.failure();
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(failure);
    }

    /** Hands a failure on; when the queue is full its consumer is gone or will see the failure upstream. */
    private static <T> void offerFailure(BlockingQueue<Slot<T>> queue, Throwable failure) {
        queue.clear(); // make room: values after a failure are never used
        if (!queue.offer(Slot.failed(failure))) {
            log.warn("could not hand on a rendering failure: {}", failure.toString());
        }
    }

    /**
     * A libtorch call cannot be interrupted: waits for the batch in flight to finish even when this
     * thread is interrupted (returning earlier would let the engine free the models under it), then
     * sets the interrupt flag again.
     */
    private void awaitStopped(ExecutorService threads) {
        boolean interrupted = Thread.interrupted();
        while (true) {
            try {
                if (threads.awaitTermination(30, TimeUnit.SECONDS)) {
                    break;
                }
                log.warn("[session={}] still waiting for the MuseTalk threads to stop", sessionId);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
