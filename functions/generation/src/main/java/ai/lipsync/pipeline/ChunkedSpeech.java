package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.DecodedSpeech;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.PcmTimeline;
import ai.lipsync.pipeline.GenerationMetrics.Step;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.Language;
import ai.lipsync.session.SessionLogContext;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import ai.lipsync.tts.text.UtteranceChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A text's utterance chunks spoken and decoded on a thread of their own, at most {@code lookAhead}
 * chunks ahead of the one being rendered (the next sentences are ready when the current one ends,
 * yet a long text never sends all its requests at once). After the last chunk the whole speech is
 * stored as {@code tts.mp3}. Every failure (the speech service's, the decoder's, a speech longer than
 * the limit, the store's) reaches the caller where it takes that chunk, or in {@link #awaitStored}.
 */
final class ChunkedSpeech implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkedSpeech.class);

    /**
     * One chunk's speech.
     *
     * @param model 16 kHz mono, what the lip-sync engine reads
     * @param fullBand what the viewer hears
     */
    record Chunk(int index, UtteranceChunk text, boolean last, PcmAudio model, PcmAudio fullBand) {
    }

    private record Slot(Chunk chunk, Throwable failure) {
    }

    /**
     * What the speech needs from the pipeline.
     *
     * @param streamRate the sample rate of the stream's audio: the full-band copy's
     */
    record Sources(SpeechSynthesizer synthesizer, AudioDecoder decoder, int streamRate, TtsAudioSink ttsAudio,
            GenerationMetrics metrics) {
    }

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final String sessionId;
    private final List<UtteranceChunk> chunks;
    private final Language lang;
    private final Sources sources;
    private final Duration maxSpeech;
    private final Semaphore ahead;
    private final BlockingQueue<Slot> ready = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private final Thread thread;
    private int taken;

    ChunkedSpeech(String sessionId, List<UtteranceChunk> chunks, Language lang, Sources sources, Duration maxSpeech,
            int lookAhead) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("no chunks to speak");
        }
        this.sessionId = sessionId;
        this.chunks = List.copyOf(chunks);
        this.lang = lang;
        this.sources = sources;
        this.maxSpeech = maxSpeech;
        this.ahead = new Semaphore(lookAhead);
        this.thread = new Thread(SessionLogContext.carried(this::speak), "tts-" + sessionId);
        this.thread.setDaemon(true);
    }

    /** Starts speaking the first chunks. */
    ChunkedSpeech start() {
        thread.start();
        return this;
    }

    int chunkCount() {
        return chunks.size();
    }

    /**
     * The next chunk's speech, once spoken and decoded; taking it lets one more chunk be spoken ahead.
     *
     * @throws GenerationException the failure that stopped the speech at this chunk
     */
    Chunk next() {
        if (taken == chunks.size()) {
            throw new IllegalStateException("every chunk has been taken");
        }
        Slot slot;
        try {
            slot = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopped(e);
        }
        if (slot.failure() != null) {
            throw rethrown(slot.failure());
        }
        taken++;
        ahead.release();
        return slot.chunk();
    }

    /** Waits until the whole speech is stored as {@code tts.mp3}; rethrows what stopped it. */
    void awaitStored() {
        try {
            stored.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopped(e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** The speaking thread: chunk after chunk, each once a look-ahead place is free; then tts.mp3. */
    private void speak() {
        try {
            PcmTimeline whole = null;
            SynthesizedSpeech first = null;
            long[] nanos = new long[3];
            for (int i = 0; i < chunks.size(); i++) {
                ahead.acquire();
                long t0 = System.nanoTime();
                SynthesizedSpeech speech = synthesize(chunks.get(i));
                long t1 = System.nanoTime();
                // Decoded once: the viewer hears the full band at the stream's rate, the engine reads the 16 kHz copy.
                DecodedSpeech pcm = sources.decoder().decodeSpeech(speech.audio(), maxSpeech, sources.streamRate());
                nanos[0] += t1 - t0;
                nanos[1] += System.nanoTime() - t1;
                if (whole == null) {
                    whole = new PcmTimeline(pcm.fullBand().sampleRate());
                    first = speech;
                }
                whole.append(pcm.fullBand());
                checkLength(whole, i);
                ready.put(new Slot(new Chunk(i, chunks.get(i), i == chunks.size() - 1, alignedModel(pcm),
                        pcm.fullBand()), null));
            }
            long t2 = System.nanoTime();
            // One service answer in MP3 is kept byte for byte; several are joined as decoded.
            sources.ttsAudio().store(sessionId, chunks.size() == 1 ? first : null, whole.whole());
            nanos[2] = System.nanoTime() - t2;
            sources.metrics().stage(Step.TTS, nanos[0]);
            sources.metrics().stage(Step.DECODE, nanos[1]);
            sources.metrics().stage(Step.STORE_AUDIO, nanos[2]);
            log.info("[session={} stage=speech] {} chunks, {} s: tts {} ms, decode {} ms, store_audio {} ms", sessionId,
                    chunks.size(), String.format(Locale.ROOT, "%.2f", whole.length() / (double) whole.sampleRate()),
                    nanos[0] / 1_000_000, nanos[1] / 1_000_000, nanos[2] / 1_000_000);
            stored.complete(null);
        } catch (InterruptedException e) {
            // Stopped (a cancel) or closed: a caller waiting for the next chunk must not wait for ever.
            ready.add(new Slot(null, stopped(e)));
            stored.completeExceptionally(e);
        } catch (Throwable e) {
            ready.add(new Slot(null, e));
            stored.completeExceptionally(e);
        }
    }

    /**
     * The 16 kHz copy cut or padded (with silence) to the full band's length: the resamplers' rounding
     * leaves the two copies of a chunk a few samples apart, which would add up over the chunks between
     * the video (made from the 16 kHz copy) and the audio the viewer hears.
     */
    static PcmAudio alignedModel(DecodedSpeech pcm) {
        PcmAudio model = pcm.model();
        long length = Math.round(pcm.fullBand().samples().length * (double) model.sampleRate()
                / pcm.fullBand().sampleRate());
        return length == model.samples().length ? model
                : new PcmAudio(java.util.Arrays.copyOf(model.samples(), (int) length), model.sampleRate());
    }

    private SynthesizedSpeech synthesize(UtteranceChunk chunk) {
        long start = System.nanoTime();
        SynthesizedSpeech speech;
        try {
            speech = sources.synthesizer().synthesize(chunk.text(), lang);
        } finally {
            // Failures too: a stalling speech service is what this latency is watched for.
            sources.metrics().tts(sources.synthesizer().name(), System.nanoTime() - start);
        }
        if (speech == null || speech.audio() == null || speech.audio().length == 0) {
            throw new GenerationException(ErrorCode.TTS_EMPTY,
                    "The speech service (" + sources.synthesizer().name() + ") returned no audio.");
        }
        return speech;
    }

    /** The limit is on the whole speech: each chunk's decoder checks its own part, this the sum. */
    private void checkLength(PcmTimeline whole, int index) {
        double seconds = whole.length() / (double) whole.sampleRate();
        if (seconds > maxSpeech.toNanos() / 1e9) {
            throw new GenerationException(ErrorCode.SPEECH_TOO_LONG, String.format(Locale.ROOT,
                    "The speech lasts more than %.1f s after %d of %d parts of the text, longer than the %s one request"
                            + " may have; send a shorter text.", seconds, index + 1, chunks.size(),
                    limit()));
        }
    }

    private String limit() {
        long s = maxSpeech.toSeconds();
        return s % 60 == 0 ? s + " s (" + s / 60 + " min)" : s + " s";
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            return r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(failure);
    }

    private GenerationException stopped(InterruptedException e) {
        return new GenerationException(ErrorCode.SERVICE_STOPPED,
                "The service stopped while this session was being generated; please start it again.", e);
    }

    /**
     * From any thread, without waiting: the speaking thread is interrupted (an HTTP request in flight
     * is aborted, espeak-ng killed) and the chunk a caller waits for fails instead of coming.
     */
    void stop() {
        thread.interrupt();
    }

    /** Stops speaking (a request in flight is interrupted) and waits for the thread to end. */
    @Override
    public void close() {
        stop();
        try {
            // A speech request that ignores the interrupt ends by its own timeout; the thread is a daemon.
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                log.warn("[session={}] the speech thread has not stopped after {} s", sessionId, STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
