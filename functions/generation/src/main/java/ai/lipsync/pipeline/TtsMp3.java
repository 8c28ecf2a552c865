package ai.lipsync.pipeline;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.tts.AudioSniffer;
import ai.lipsync.tts.SynthesizedSpeech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a session's {@code tts.mp3}: the service's MP3 byte for byte, else the decoded PCM encoded. */
final class TtsMp3 {
    private TtsMp3() {
    }

    /**
     * @param speech the service's answer, kept byte for byte when it is MP3; null for speech joined from several answers
     * @param scratchDir where the encoder's scratch file goes while it runs; deleted before this returns
     */
    static byte[] of(SynthesizedSpeech speech, PcmAudio decoded, Mp3Encoder encoder, Path scratchDir)
            throws IOException {
        return speech != null && AudioSniffer.isMp3(speech.audio()) ? speech.audio() : encode(decoded, encoder, scratchDir);
    }

    /** FFmpeg's MP3 muxer seeks back to finish the header, so LAME writes a scratch file first. */
    private static byte[] encode(PcmAudio decoded, Mp3Encoder encoder, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path scratch = Files.createTempFile(dir, "." + TtsAudioStore.FILE_NAME + "-", ".encoding");
        try {
            encoder.encode(decoded, scratch);
            return Files.readAllBytes(scratch);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
