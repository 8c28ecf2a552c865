package ai.lipsync.tts;

import ai.lipsync.settings.TtsConfig;
import java.net.http.HttpClient;

/** Picks and builds the configured {@link SpeechSynthesizer}. */
public final class SpeechSynthesizers {
    private SpeechSynthesizers() {
    }

    /**
     * @param http shared client for the HTTP providers (one connection pool per process)
     */
    public static SpeechSynthesizer create(TtsConfig config, HttpClient http) {
        return switch (config.provider()) {
            case ESPEAK -> EspeakSpeechSynthesizer.create(config);
            case OPENAI -> new OpenAiSpeechSynthesizer(config, http);
            case YANDEX -> new YandexSpeechSynthesizer(config, http);
        };
    }
}
