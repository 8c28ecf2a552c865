package ai.lipsync.tts;

import ai.lipsync.session.Language;

/**
 * Text to speech. Failures are {@link ai.lipsync.session.GenerationException}s with the codes
 * {@code TTS_TIMEOUT}, {@code TTS_EMPTY} or {@code TTS_FAILED} and a sentence a person understands.
 */
public interface SpeechSynthesizer {
    SynthesizedSpeech synthesize(String text, Language lang);

    /** A short name for logs ("espeak-ng", "openai", "yandex"). */
    String name();
}
