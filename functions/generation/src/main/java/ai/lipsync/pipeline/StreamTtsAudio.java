package ai.lipsync.pipeline;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SynthesizedSpeech;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A session's {@code tts.mp3} stored beside its stream ({@code hls/{session}/tts.mp3} in S3, under the
 * bucket's lifecycle rule): a long-lived GPU worker keeps no file per session, so its disk does not
 * fill. Only the encoder's scratch file touches the disk, and only while it runs.
 */
public final class StreamTtsAudio implements TtsAudioSink {
    private static final StreamFile FILE = StreamFile.parse(StreamFile.TTS_AUDIO).orElseThrow();
    private final StreamStore streams;
    private final Mp3Encoder encoder;
    private final Path scratchDir;

    /** @param scratchDir the encoder's work directory ({@code lipsync.storage.data-dir/work}) */
    public StreamTtsAudio(StreamStore streams, Mp3Encoder encoder, Path scratchDir) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.scratchDir = Objects.requireNonNull(scratchDir, "scratchDir");
    }

    @Override
    public void store(String sessionId, SynthesizedSpeech speech, PcmAudio decoded) {
        try {
            streams.put(sessionId, FILE, TtsMp3.of(speech, decoded, encoder, scratchDir));
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "The speech could not be saved as tts.mp3 for this session.", e);
        }
    }
}
