package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.FrameSink;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.LipSyncStream;
import ai.lipsync.engine.StreamRequest;
import ai.lipsync.hls.HlsSegmentWriter;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.pipeline.GenerationMetrics.Step;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobHandler;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionCancelledException;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.Stage;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.text.UtteranceChunk;
import ai.lipsync.tts.text.UtteranceChunker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One generation, start to end: claim the session; the text in utterance chunks, each spoken (a few
 * ahead), decoded, its features and frames computed as it arrives, all on one stream encoded and
 * published segment by segment; {@code tts.mp3} of the whole speech; finalise. Every failure ends the session in
 * {@code error} with a code and a sentence; nothing escapes to the worker thread.
 *
 * <p>A cancelled session ({@link #cancel}, or the record found {@code cancelled} at a progress write,
 * once per second of video) stops where it is: a TTS call in flight is interrupted (the HTTP request
 * aborted, espeak-ng killed), the engine stops at its next batch, the complete segments stay and the
 * playlist gets {@code #EXT-X-ENDLIST}.
 */
public final class GenerationPipeline implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(GenerationPipeline.class);
    private final SessionStore sessions;
    private final ChunkedSpeech.Sources speechSources;
    private final UtteranceChunker chunker;
    private final AvatarCatalog avatars;
    private final PreparedAvatars preparedAvatars;
    private final LipSyncEngine engine;
    private final HlsWriterFactory writers;
    private final PipelineSettings settings;
    private final Clock clock;
    private final GenerationMetrics metrics;
    private final ConcurrentMap<String, Cancellation> running = new ConcurrentHashMap<>();

    public GenerationPipeline(SessionStore sessions, SpeechSynthesizer synthesizer, AudioDecoder decoder,
            TtsAudioSink ttsAudio, AvatarCatalog avatars, LipSyncEngine engine, HlsWriterFactory writers,
            PipelineSettings settings, Clock clock) {
        this(sessions, synthesizer, decoder, ttsAudio, avatars, null, engine, writers, settings, clock);
    }

    /**
     * @param preparedAvatars where an engine that {@linkplain LipSyncEngine#needsPreparedAvatar() needs
     *     prepared avatars} (MuseTalk) gets them; may be null for one that does not
     */
    public GenerationPipeline(SessionStore sessions, SpeechSynthesizer synthesizer, AudioDecoder decoder,
            TtsAudioSink ttsAudio, AvatarCatalog avatars, PreparedAvatars preparedAvatars, LipSyncEngine engine,
            HlsWriterFactory writers, PipelineSettings settings, Clock clock) {
        this(sessions, synthesizer, decoder, ttsAudio, avatars, preparedAvatars, engine, writers, settings, clock,
                GenerationMetrics.none());
    }

    /** @param metrics where the sessions' outcomes, stage timings, frames and segments are counted */
    public GenerationPipeline(SessionStore sessions, SpeechSynthesizer synthesizer, AudioDecoder decoder,
            TtsAudioSink ttsAudio, AvatarCatalog avatars, PreparedAvatars preparedAvatars, LipSyncEngine engine,
            HlsWriterFactory writers, PipelineSettings settings, Clock clock, GenerationMetrics metrics) {
        if (engine.needsPreparedAvatar() && preparedAvatars == null) {
            throw new IllegalArgumentException("the " + engine.name() + " engine needs prepared avatars");
        }
        this.preparedAvatars = preparedAvatars;
        this.sessions = sessions;
        this.speechSources = new ChunkedSpeech.Sources(synthesizer, decoder, writers.audioSampleRate(), ttsAudio,
                metrics);
        this.chunker = new UtteranceChunker(settings.chunks().maxChars(), settings.chunks().firstChars());
        this.avatars = avatars;
        this.engine = engine;
        this.writers = writers;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The engine sessions will report. */
    public String engineName() {
        return engine.name();
    }

    /** Stops the generation of {@code sessionId} if this pipeline is running it (its record already says cancelled). */
    @Override
    public void cancel(String sessionId) {
        Cancellation c = running.get(sessionId);
        if (c != null) {
            c.cancel();
        }
    }

    /** Claims the session without a lease ({@code created -> processing}) and runs the job: the embedded default. */
    @Override
    public void handle(GenerationJob job) {
        if (claim(job)) {
            runClaimed(job);
        }
    }

    /**
     * Runs a job whose session the caller has already claimed, e.g. a worker holding a lease
     * (its own conditional claim, or a takeover of an expired one). Never throws for a failed
     * generation: the session ends in {@code ready} or {@code error}.
     */
    public void runClaimed(GenerationJob job) {
        runClaimed(job, FailureGate.END_ALWAYS);
    }

    /**
     * As {@link #runClaimed(GenerationJob)}, asking {@code gate} before the session is ended in error:
     * when it says no, the session is left processing under the caller's claim, for the caller to
     * release (a worker whose device fails every job hands that job to another worker).
     */
    public void runClaimed(GenerationJob job, FailureGate gate) {
        String id = job.sessionId();
        long start = System.nanoTime();
        log.info("[session={} engine={} avatar={} lang={} chars={}] generation started", id, engine.name(),
                job.avatar(), job.lang() == null ? null : job.lang().code(), job.text() == null ? 0 : job.text().length());
        Cancellation cancellation = new Cancellation(id);
        running.put(id, cancellation);
        try {
            run(job, start, cancellation);
            // Never over a cancel that came last: one terminal state, the first one written.
            sessions.update(id, s -> notCancelled(s).ready(clock.instant()));
            metrics.sessionEnded(null);
            log.info("[session={} stage=total] {} ms, ready", id, millisSince(start));
        } catch (SessionCancelledException e) {
            cancelled(id, start);
        } catch (GenerationException e) {
            // An interrupted TTS call or a stopped engine, when the cause was the cancel.
            if (cancellation.isCancelled()) {
                cancelled(id, start);
            } else {
                failed(id, e.code(), e.publicMessage(), e, start, gate);
            }
        } catch (InferenceException e) {
            // The lip-sync layer's own failure: its kind names the session's code (inference_oom, ...).
            if (cancellation.isCancelled()) {
                cancelled(id, start);
            } else {
                failed(id, e.code(), e.publicMessage(), e, start, gate);
            }
        } catch (RuntimeException | Error e) {
            // A bug, a broken native library or an exhausted JVM, not the user's input: keep the details in
            // the log only, and never leave the session in processing (unless the caller takes it back).
            if (!gate.mayEnd(id, ErrorCode.INTERNAL)) {
                log.error("[session={} code=internal] generation failed after {} ms; the session is handed back",
                        id, millisSince(start), e);
                return;
            }
            fail(id, ErrorCode.INTERNAL, "An internal error stopped the generation; the service log has the details"
                    + " (session " + id + ").");
            metrics.sessionEnded(ErrorCode.INTERNAL);
            log.error("[session={} code=internal] generation failed after {} ms", id, millisSince(start), e);
        } finally {
            running.remove(id, cancellation);
        }
    }

    /** @throws SessionCancelledException when the record says cancelled: the generation stops there */
    private static Session notCancelled(Session s) {
        if (s.status() == SessionStatus.CANCELLED) {
            throw new SessionCancelledException(s.id());
        }
        return s;
    }

    private void cancelled(String id, long start) {
        metrics.sessionCancelled();
        log.info("[session={} stage=total] {} ms, cancelled", id, millisSince(start));
    }

    /**
     * created -> processing; false when the session is gone, another worker already has it, it was
     * cancelled while queued, or it waited past the start deadline (then it ends in {@code expired}
     * instead, never rendered).
     */
    private boolean claim(GenerationJob job) {
        AtomicBoolean claimed = new AtomicBoolean();
        AtomicBoolean expired = new AtomicBoolean();
        AtomicBoolean wasCancelled = new AtomicBoolean();
        try {
            sessions.update(job.sessionId(), s -> {
                // Set on every attempt: a store may apply the change more than once (conditional writes).
                Instant now = clock.instant();
                wasCancelled.set(s.status() == SessionStatus.CANCELLED);
                expired.set(settings.startDeadline().missedBy(s, now));
                claimed.set(!expired.get() && s.status() == SessionStatus.CREATED);
                if (expired.get()) {
                    return settings.startDeadline().expire(s, now);
                }
                return claimed.get() ? s.processing(engine.name(), now) : s;
            });
        } catch (NoSuchElementException e) {
            log.warn("[session={}] job dropped: no such session", job.sessionId());
            return false;
        } catch (RuntimeException e) {
            // The store itself failed: the job stays unclaimed and the session as it was.
            log.error("[session={}] job dropped: the session store failed while claiming it", job.sessionId(), e);
            return false;
        }
        if (expired.get()) {
            expired(job.sessionId());
        } else if (wasCancelled.get()) {
            // Cancelled while it waited in the queue: it never starts.
            metrics.sessionCancelled();
            log.info("[session={}] job dropped: cancelled before it started", job.sessionId());
        } else if (!claimed.get()) {
            log.warn("[session={}] job dropped: the session is no longer 'created'", job.sessionId());
        }
        return claimed.get();
    }

    /**
     * Counts and logs a session ended in {@code expired} before any work: by this pipeline's claim, or
     * by a worker's own (leased) claim of a job it then never runs.
     */
    public void expired(String sessionId) {
        metrics.sessionEnded(ErrorCode.EXPIRED);
        log.warn("[session={} code=expired] not started within {} of its creation: ended without rendering",
                sessionId, settings.startDeadline().limit());
    }

    /**
     * The text in utterance chunks: their speech comes from {@link ChunkedSpeech} (a bounded number
     * synthesized ahead), each chunk's audio goes onto the stream's one audio timeline and into the
     * engine's one stream, whose frames are encoded as soon as their audio is known. One encoder, one
     * playlist, 1 s segments across the chunk boundaries.
     *
     * @param start when the generation started (nanoTime): the time to first segment counts from it
     */
    private void run(GenerationJob job, long start, Cancellation cancellation) {
        String id = job.sessionId();
        int fps = settings.fps();
        cancellation.throwIfCancelled();
        List<UtteranceChunk> chunks = chunker.split(job.text() == null ? "" : job.text(), job.lang());
        if (chunks.isEmpty()) {
            throw new GenerationException(ErrorCode.TTS_EMPTY, "The text has nothing to speak.");
        }
        try (ChunkedSpeech speech = new ChunkedSpeech(id, chunks, job.lang(), speechSources, settings.maxSpeech(),
                settings.chunks().lookAhead()).start();
                // A cancel interrupts the speaking thread: its HTTP request is aborted, espeak-ng killed.
                Cancellation.Hook stopSpeech = cancellation.whileOpen(speech::stop)) {
            PreparedAvatar prepared = engine.needsPreparedAvatar()
                    ? timed(id, Step.AVATAR, () -> preparedAvatars.get(job.avatar(), fps)) : null;
            Avatar avatar = prepared != null ? prepared.avatar()
                    : timed(id, Step.AVATAR, () -> avatars.load(job.avatar(), fps));
            // Nothing is opened for a speech refused at its first chunk (no work dir, no stream files).
            ChunkedSpeech.Chunk first = speech.next();
            cancellation.throwIfCancelled();
            log.info("[session={} stage=first_speech] {} ms after start", id, millisSince(start));
            progress(id, Stage.TTS.end());
            AtomicBoolean playable = new AtomicBoolean();
            long framesStart = System.nanoTime();
            try (LipSyncStream stream = engine.open(new StreamRequest(id, avatar, fps, prepared));
                    HlsSegmentWriter writer = writers.open(id, avatar.width(), avatar.height(), fps,
                            writers.audioSampleRate(), (index, seconds) -> {
                                metrics.segmentPublished();
                                if (playable.compareAndSet(false, true)) {
                                    metrics.firstSegment(System.nanoTime() - start);
                                    sessions.update(id, s -> s.withPlaylistReady(clock.instant()));
                                    log.info("[session={} stage=first_segment] {} ms after start", id,
                                            millisSince(start));
                                }
                            })) {
                try (Cancellation.Hook stopEngine = cancellation.whileOpen(stream::stop)) {
                    render(job, first, speech, stream, writer, cancellation);
                } catch (RuntimeException | Error e) {
                    // A stream that failed after its first segments keeps them, but its playlist gets
                    // #EXT-X-ENDLIST: otherwise players would poll the EVENT playlist forever.
                    writer.abort();
                    throw e;
                }
            }
            log.info("[session={} stage=frames] {} ms", id, millisSince(framesStart));
        }
    }

    /** Chunk after chunk: its audio onto the stream, its features, the frames now known; then the end. */
    private void render(GenerationJob job, ChunkedSpeech.Chunk first, ChunkedSpeech speech, LipSyncStream stream,
            HlsSegmentWriter writer, Cancellation cancellation) {
        String id = job.sessionId();
        int fps = settings.fps();
        int textLength = Math.max(1, job.text().length());
        long[] nanos = new long[3]; // features, frames (render + write), writes
        FrameProgress progress = new FrameProgress();
        FrameSink sink = (index, frame) -> {
            // Checked per frame: the playlist ends within a frame's work of the cancel.
            cancellation.throwIfCancelled();
            long writeStart = System.nanoTime();
            writer.write(frame);
            nanos[2] += System.nanoTime() - writeStart;
            metrics.frameEncoded();
            // One progress write per second of video keeps a remote session store cheap.
            if ((index + 1) % fps == 0) {
                progress(id, Stage.FRAMES.progressAt(progress.charactersAt(index + 1) / textLength));
            }
        };
        for (int i = 0; i < speech.chunkCount(); i++) {
            ChunkedSpeech.Chunk chunk = i == 0 ? first : speech.next();
            cancellation.throwIfCancelled();
            writer.appendAudio(chunk.fullBand());
            long t0 = System.nanoTime();
            stream.append(chunk.model(), chunk.last());
            long t1 = System.nanoTime();
            nanos[0] += t1 - t0;
            if (i == 0) {
                progress(id, Stage.FEATURES.end());
            }
            progress.chunkAppended(chunk);
            stream.renderReady(sink);
            nanos[1] += System.nanoTime() - t1;
        }
        int frames = stream.frameCount();
        if (writer.framesWritten() != frames) {
            throw new GenerationException(ErrorCode.INFERENCE_FAILED, "The " + engine.name() + " engine produced "
                    + writer.framesWritten() + " frames instead of " + frames + ".");
        }
        progress(id, Stage.FRAMES.end());
        speech.awaitStored();
        long finishStart = System.nanoTime();
        writer.finish();
        long finishNanos = System.nanoTime() - finishStart;
        log.info("[session={} stage=finalise] {} ms, {} frames in {} chunks", id, finishNanos / 1_000_000, frames,
                speech.chunkCount());
        metrics.stage(Step.FEATURES, nanos[0]);
        metrics.stage(Step.RENDER, nanos[1] - nanos[2]);
        metrics.stage(Step.ENCODE, nanos[2] + finishNanos - writer.publishNanos());
        metrics.stage(Step.PUBLISH, writer.publishNanos());
    }

    /**
     * Progress by characters spoken: a frame counts for the text of the chunk whose audio it shows, in
     * proportion to how far into that chunk's audio it is.
     */
    private final class FrameProgress {
        /** Per appended chunk: where its audio starts and ends on the video timeline (frames), its text's span. */
        private final List<double[]> spans = new ArrayList<>();
        private double audioEndFrames;

        void chunkAppended(ChunkedSpeech.Chunk chunk) {
            double from = audioEndFrames;
            audioEndFrames += chunk.model().durationSeconds() * settings.fps();
            spans.add(new double[] {from, audioEndFrames, chunk.text().start(), chunk.text().end()});
        }

        double charactersAt(int framesDone) {
            double chars = 0;
            for (double[] span : spans) {
                if (framesDone >= span[1]) {
                    chars = span[3];
                } else if (framesDone > span[0]) {
                    chars = span[2] + (span[3] - span[2]) * (framesDone - span[0]) / (span[1] - span[0]);
                }
            }
            return chars;
        }
    }

    /** Also where a worker sees a cancel written by another process: one read of the record per second of video. */
    private void progress(String id, int value) {
        sessions.update(id, s -> notCancelled(s).withProgress(value, clock.instant()));
    }

    private void fail(String id, ErrorCode code, String message) {
        try {
            // A session cancelled meanwhile stays cancelled.
            sessions.update(id, s -> s.status().isFinal() ? s : s.failed(code, message, clock.instant()));
        } catch (RuntimeException e) {
            log.error("[session={}] could not record the failure {} in the session store", id, code.wireName(), e);
        }
    }

    private <T> T timed(String id, Step step, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        long nanos = System.nanoTime() - start;
        metrics.stage(step, nanos);
        log.info("[session={} stage={}] {} ms", id, step.label(), nanos / 1_000_000);
        return result;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void failed(String id, ErrorCode code, String publicMessage, RuntimeException e, long start,
            FailureGate gate) {
        if (!gate.mayEnd(id, code)) {
            log.error("[session={} code={}] generation failed after {} ms: {}; the session is handed back, not ended",
                    id, code.wireName(), millisSince(start), describe(e));
            return;
        }
        fail(id, code, publicMessage);
        metrics.sessionEnded(code);
        log.error("[session={} code={}] generation failed after {} ms: {}", id, code.wireName(), millisSince(start),
                describe(e));
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause();
        return cause == null ? e.getMessage() : e.getMessage() + " (cause: " + cause + ")";
    }
}
