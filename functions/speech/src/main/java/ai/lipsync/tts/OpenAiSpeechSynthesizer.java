package ai.lipsync.tts;

import ai.lipsync.settings.TtsConfig;
import ai.lipsync.session.Language;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OpenAI-compatible speech endpoint: {@code POST {base}/v1/audio/speech} with a JSON body and a
 * bearer key. Many self-hosted servers speak the same protocol, hence the configurable base URL.
 */
public final class OpenAiSpeechSynthesizer implements SpeechSynthesizer {
    static final URI DEFAULT_BASE = URI.create("https://api.openai.com");
    // The OpenAI voices are multilingual: one voice serves every language.
    private static final Map<Language, String> DEFAULT_VOICES =
            Map.of(Language.RU, "alloy", Language.KK, "alloy", Language.EN, "alloy");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TtsConfig config;
    private final URI endpoint;
    private final TtsHttpExchange exchange;

    public OpenAiSpeechSynthesizer(TtsConfig config, HttpClient http) {
        this.config = config;
        URI base = config.url() == null ? DEFAULT_BASE : config.url();
        String b = base.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(b.endsWith("/v1") ? b + "/audio/speech" : b + "/v1/audio/speech");
        this.exchange = new TtsHttpExchange(http, name(), config.timeout());
    }

    @Override
    public SynthesizedSpeech synthesize(String text, Language lang) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", config.model() == null || config.model().isBlank() ? "tts-1" : config.model());
        body.put("input", text);
        body.put("voice", config.voiceFor(lang, DEFAULT_VOICES));
        body.put("response_format", config.format() == null || config.format().isBlank() ? "mp3" : config.format());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "audio/*")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)));
        if (config.key() != null && !config.key().isBlank()) {
            request.header("Authorization", "Bearer " + config.key());
        }
        return exchange.send(request.build());
    }

    @Override
    public String name() {
        return "openai";
    }

    URI endpoint() {
        return endpoint;
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings always serialises", e);
        }
    }
}
