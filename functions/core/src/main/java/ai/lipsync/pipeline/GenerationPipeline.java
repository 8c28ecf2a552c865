package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.TtsAudioStore;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.RenderRequest;
import ai.lipsync.engine.Rendering;
import ai.lipsync.hls.HlsSegmentWriter;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobHandler;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.Stage;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One generation, start to end: claim the session, TTS, store {@code tts.mp3}, decode, features,
 * frames, encode and publish segment by segment, finalise. Every failure ends the session in
 * {@code error} with a code and a sentence; nothing escapes to the worker thread.
 */
public final class GenerationPipeline implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(GenerationPipeline.class);
    private static final StreamFile PLAYLIST = StreamFile.parse(StreamFile.PLAYLIST).orElseThrow();
    private final SessionStore sessions;
    private final SpeechSynthesizer synthesizer;
    private final AudioDecoder decoder;
    private final TtsAudioStore ttsAudio;
    private final AvatarCatalog avatars;
    private final PreparedAvatars preparedAvatars;
    private final LipSyncEngine engine;
    private final HlsWriterFactory writers;
    private final StreamStore streams;
    private final PipelineSettings settings;
    private final Clock clock;

    public GenerationPipeline(SessionStore sessions, SpeechSynthesizer synthesizer, AudioDecoder decoder,
            TtsAudioStore ttsAudio, AvatarCatalog avatars, LipSyncEngine engine, HlsWriterFactory writers,
            StreamStore streams, PipelineSettings settings, Clock clock) {
        this(sessions, synthesizer, decoder, ttsAudio, avatars, null, engine, writers, streams, settings, clock);
    }

    /**
     * @param preparedAvatars where an engine that {@linkplain LipSyncEngine#needsPreparedAvatar() needs
     *     prepared avatars} (MuseTalk) gets them; may be null for one that does not
     */
    public GenerationPipeline(SessionStore sessions, SpeechSynthesizer synthesizer, AudioDecoder decoder,
            TtsAudioStore ttsAudio, AvatarCatalog avatars, PreparedAvatars preparedAvatars, LipSyncEngine engine,
            HlsWriterFactory writers, StreamStore streams, PipelineSettings settings, Clock clock) {
        if (engine.needsPreparedAvatar() && preparedAvatars == null) {
            throw new IllegalArgumentException("the " + engine.name() + " engine needs prepared avatars");
        }
        this.preparedAvatars = preparedAvatars;
        this.sessions = sessions;
        this.synthesizer = synthesizer;
        this.decoder = decoder;
        this.ttsAudio = ttsAudio;
        this.avatars = avatars;
        this.engine = engine;
        this.writers = writers;
        this.streams = streams;
        this.settings = settings;
        this.clock = clock;
    }

    /** The engine sessions will report. */
    public String engineName() {
        return engine.name();
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
        String id = job.sessionId();
        long start = System.nanoTime();
        log.info("[session={} engine={} avatar={} lang={} chars={}] generation started", id, engine.name(),
                job.avatar(), job.lang() == null ? null : job.lang().code(), job.text() == null ? 0 : job.text().length());
        try {
            run(job);
            sessions.update(id, s -> s.ready(clock.instant()));
            log.info("[session={} stage=total] {} ms, ready", id, millisSince(start));
        } catch (GenerationException e) {
            endPartialStream(id);
            fail(id, e.code(), e.publicMessage());
            log.error("[session={} code={}] generation failed after {} ms: {}", id, e.code().wireName(),
                    millisSince(start), describe(e));
        } catch (RuntimeException | Error e) {
            // A bug, a broken native library or an exhausted JVM, not the user's input: keep the details in
            // the log only, and never leave the session in processing.
            endPartialStream(id);
            fail(id, ErrorCode.INTERNAL, "An internal error stopped the generation; the service log has the details"
                    + " (session " + id + ").");
            log.error("[session={} code=internal] generation failed after {} ms", id, millisSince(start), e);
        }
    }

    /** created -> processing; false when the session is gone or another worker already has it. */
    private boolean claim(GenerationJob job) {
        AtomicBoolean claimed = new AtomicBoolean();
        try {
            sessions.update(job.sessionId(), s -> {
                // Set on every attempt: a store may apply the change more than once (conditional writes).
                claimed.set(s.status() == SessionStatus.CREATED);
                return claimed.get() ? s.processing(engine.name(), clock.instant()) : s;
            });
        } catch (NoSuchElementException e) {
            log.warn("[session={}] job dropped: no such session", job.sessionId());
            return false;
        } catch (RuntimeException e) {
            // The store itself failed: the job stays unclaimed and the session as it was.
            log.error("[session={}] job dropped: the session store failed while claiming it", job.sessionId(), e);
            return false;
        }
        if (!claimed.get()) {
            log.warn("[session={}] job dropped: the session is no longer 'created'", job.sessionId());
        }
        return claimed.get();
    }

    private void run(GenerationJob job) {
        String id = job.sessionId();
        int fps = settings.fps();
        PreparedAvatar prepared = engine.needsPreparedAvatar()
                ? timed(id, "avatar", () -> preparedAvatars.get(job.avatar(), fps)) : null;
        Avatar avatar = prepared != null ? prepared.avatar() : timed(id, "avatar", () -> avatars.load(job.avatar(), fps));
        SynthesizedSpeech speech = timed(id, "tts", () -> synthesize(job));
        // The length is known once decoded, and must be checked before anything costly is done with it.
        PcmAudio pcm = timed(id, "decode", () -> decoder.decode(speech.audio(), settings.maxSpeech()));
        timed(id, "store_audio", () -> ttsAudio.save(id, speech, pcm));
        progress(id, Stage.TTS.end());

        RenderRequest request = new RenderRequest(id, pcm, avatar, fps, prepared);
        try (Rendering rendering = timed(id, "features", () -> engine.prepare(request))) {
            progress(id, Stage.FEATURES.end());
            int frames = rendering.frameCount();
            long framesStart = System.nanoTime();
            AtomicBoolean playable = new AtomicBoolean();
            try (HlsSegmentWriter writer = writers.open(id, avatar.width(), avatar.height(), fps, pcm, frames,
                    (index, seconds) -> {
                        if (playable.compareAndSet(false, true)) {
                            sessions.update(id, s -> s.withPlaylistReady(clock.instant()));
                            log.info("[session={} stage=first_segment] {} ms after start of frames", id,
                                    millisSince(framesStart));
                        }
                    })) {
                rendering.renderTo((index, frame) -> {
                    writer.write(frame);
                    // One progress write per second of video keeps a remote session store cheap.
                    if ((index + 1) % fps == 0) {
                        progress(id, Stage.FRAMES.progressAt((index + 1) / (double) frames));
                    }
                });
                if (writer.framesWritten() != frames) {
                    throw new GenerationException(ErrorCode.INFERENCE_FAILED, "The " + engine.name()
                            + " engine produced " + writer.framesWritten() + " frames instead of " + frames + ".");
                }
                log.info("[session={} stage=frames] {} ms for {} frames", id, millisSince(framesStart), frames);
                progress(id, Stage.FRAMES.end());
                timed(id, "finalise", () -> {
                    writer.finish();
                    return null;
                });
            }
        }
    }

    private SynthesizedSpeech synthesize(GenerationJob job) {
        SynthesizedSpeech speech = synthesizer.synthesize(job.text(), job.lang());
        if (speech == null || speech.audio() == null || speech.audio().length == 0) {
            throw new GenerationException(ErrorCode.TTS_EMPTY,
                    "The speech service (" + synthesizer.name() + ") returned no audio.");
        }
        return speech;
    }

    private void progress(String id, int value) {
        sessions.update(id, s -> s.withProgress(value, clock.instant()));
    }

    private void fail(String id, ErrorCode code, String message) {
        try {
            sessions.update(id, s -> s.failed(code, message, clock.instant()));
        } catch (RuntimeException e) {
            log.error("[session={}] could not record the failure {} in the session store", id, code.wireName(), e);
        }
    }

    private <T> T timed(String id, String stage, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        log.info("[session={} stage={}] {} ms", id, stage, millisSince(start));
        return result;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause();
        return cause == null ? e.getMessage() : e.getMessage() + " (cause: " + cause + ")";
    }

    /**
     * A stream that failed after its first segments keeps them, but its playlist gets
     * {@code #EXT-X-ENDLIST}: otherwise players would poll the EVENT playlist forever.
     */
    private void endPartialStream(String id) {
        try {
            Optional<StreamStore.StoredObject> stored = streams.get(id, PLAYLIST);
            if (stored.isEmpty()) {
                return;
            }
            String playlist;
            try (InputStream in = stored.get().open(0, stored.get().size())) {
                playlist = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!playlist.contains("#EXT-X-ENDLIST")) {
                streams.put(id, PLAYLIST, (playlist + "#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("[session={}] could not close the partial playlist: {}", id, e.toString());
        }
    }
}
