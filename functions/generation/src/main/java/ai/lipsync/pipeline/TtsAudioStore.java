package ai.lipsync.pipeline;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.SessionArtifacts;
import ai.lipsync.session.SessionFolders;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.AtomicFiles;
import ai.lipsync.storage.DirectoryTrees;
import ai.lipsync.tts.SynthesizedSpeech;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each session's speech as {@code {baseDir}/{sessionId}/tts.mp3} (the spec's {@code data/audio/},
 * one file per session so concurrent generations never share one). MP3 from the TTS service is
 * stored byte for byte; anything else is encoded from the decoded PCM.
 */
public final class TtsAudioStore implements SessionArtifacts, TtsAudioSink {
    public static final String FILE_NAME = "tts.mp3";
    private final Path baseDir;
    private final Mp3Encoder encoder;

    public TtsAudioStore(Path baseDir, Mp3Encoder encoder) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** {@code data/audio} under the working directory. */
    public static TtsAudioStore defaultStore() {
        return new TtsAudioStore(Path.of("data", "audio"), Mp3Encoder.defaultEncoder());
    }

    public Path pathFor(String sessionId) {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        return baseDir.resolve(sessionId).resolve(FILE_NAME);
    }

    /** Deletes the session's speech folder: the session has expired. */
    @Override
    public void delete(String sessionId) throws IOException {
        DirectoryTrees.delete(pathFor(sessionId).getParent());
    }

    @Override
    public Optional<SessionFolders> folders() {
        return Optional.of(SessionFolders.namedById(baseDir));
    }

    /**
     * Stores the speech and returns where.
     *
     * @param speech the service's answer when it spoke the whole speech in one answer, else null
     * @param decoded the whole speech decoded (its full band, so tts.mp3 keeps what the service produced),
     *     encoded to MP3 unless {@code speech} is one already
     * @throws GenerationException {@code STORAGE_FAILED} when the file cannot be written
     */
    public Path save(String sessionId, SynthesizedSpeech speech, PcmAudio decoded) {
        Path target = pathFor(sessionId);
        try {
            AtomicFiles.write(target, TtsMp3.of(speech, decoded, encoder, target.getParent()));
            return target;
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "The speech could not be saved as tts.mp3 for this session.", e);
        }
    }

    @Override
    public void store(String sessionId, SynthesizedSpeech speech, PcmAudio decoded) {
        save(sessionId, speech, decoded);
    }
}
