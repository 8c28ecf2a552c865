package ai.lipsync.tts;

import ai.lipsync.settings.TtsConfig;
import ai.lipsync.session.Language;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Yandex SpeechKit v1 REST: {@code POST .../speech/v1/tts:synthesize}, form-encoded, with an API key
 * ({@code Api-Key}) or an IAM token ({@code Bearer}). SpeechKit is one of the few services with a
 * Kazakh voice.
 */
public final class YandexSpeechSynthesizer implements SpeechSynthesizer {
    static final URI DEFAULT_ENDPOINT = URI.create("https://tts.api.cloud.yandex.net/speech/v1/tts:synthesize");
    private static final Map<Language, String> LANG_CODES =
            Map.of(Language.RU, "ru-RU", Language.KK, "kk-KK", Language.EN, "en-US");
    private static final Map<Language, String> DEFAULT_VOICES =
            Map.of(Language.RU, "alena", Language.KK, "madi", Language.EN, "john");

    private final TtsConfig config;
    private final URI endpoint;
    private final TtsHttpExchange exchange;

    public YandexSpeechSynthesizer(TtsConfig config, HttpClient http) {
        String format = config.format();
        if (format != null && !format.isBlank() && !format.equals("mp3") && !format.equals("oggopus")) {
            throw new IllegalArgumentException("Yandex SpeechKit formats here are mp3 or oggopus, not '" + format + "'.");
        }
        if (config.yandexAuth() == TtsConfig.YandexAuth.IAM_TOKEN
                && (config.folderId() == null || config.folderId().isBlank())) {
            throw new IllegalArgumentException("Yandex SpeechKit with an IAM token needs the folder id "
                    + "(lipsync.tts.folder-id / LIPSYNC_TTS_FOLDER_ID).");
        }
        this.config = config;
        this.endpoint = config.url() == null ? DEFAULT_ENDPOINT : config.url();
        this.exchange = new TtsHttpExchange(http, name(), config.timeout());
    }

    @Override
    public SynthesizedSpeech synthesize(String text, Language lang) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("text", text);
        form.put("lang", LANG_CODES.get(lang));
        form.put("voice", config.voiceFor(lang, DEFAULT_VOICES));
        form.put("format", config.format() == null || config.format().isBlank() ? "mp3" : config.format());
        if (config.folderId() != null && !config.folderId().isBlank()) {
            form.put("folderId", config.folderId());
        }
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8));
        if (config.key() != null && !config.key().isBlank()) {
            String scheme = config.yandexAuth() == TtsConfig.YandexAuth.IAM_TOKEN ? "Bearer " : "Api-Key ";
            request.header("Authorization", scheme + config.key());
        }
        return exchange.send(request.build());
    }

    @Override
    public String name() {
        return "yandex";
    }
}
