package ai.lipsync.tts;

/**
 * Audio as a TTS service returned it, in whatever container and codec it chose.
 *
 * @param contentType the media type the service declared (e.g. audio/mpeg, audio/wav)
 */
public record SynthesizedSpeech(byte[] audio, String contentType) {
}
