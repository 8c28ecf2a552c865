package ai.lipsync.local;

import ai.lipsync.tts.EspeakSpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.settings.TtsConfig;

/**
 * What must be installed or configured before the first request, checked at startup so a missing
 * tool is one clear message instead of every session failing later.
 */
final class Prerequisites {
    private Prerequisites() {
    }

    static void check(TtsConfig config, SpeechSynthesizer synthesizer) {
        switch (config.provider()) {
            case ESPEAK -> ((EspeakSpeechSynthesizer) synthesizer).problem().ifPresent(problem -> {
                throw new MissingPrerequisiteException(problem, "Install espeak-ng: sudo apt-get install espeak-ng "
                        + "(Debian/Ubuntu; brew install espeak-ng on macOS), or set LIPSYNC_TTS_PROVIDER=openai|yandex.");
            });
            case OPENAI -> {
                if (config.url() == null && blank(config.key())) {
                    throw new MissingPrerequisiteException("The OpenAI speech service needs an API key.",
                            "Set LIPSYNC_TTS_KEY (lipsync.tts.key), or point LIPSYNC_TTS_URL at an "
                                    + "OpenAI-compatible server that needs none. Default base: "
                                    + "https://api.openai.com" + ".");
                }
            }
            case YANDEX -> {
                if (blank(config.key())) {
                    throw new MissingPrerequisiteException("Yandex SpeechKit needs an API key or IAM token.",
                            "Set LIPSYNC_TTS_KEY (and LIPSYNC_TTS_FOLDER_ID with an IAM token, "
                                    + "LIPSYNC_TTS_YANDEX_AUTH=iam-token).");
                }
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
