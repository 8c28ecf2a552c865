package ai.lipsync.tts;

import ai.lipsync.settings.TtsConfig;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.Language;
import ai.lipsync.tts.FakeSpeechServer.Mode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP providers against a real local HTTP server that misbehaves on demand. */
class HttpSpeechSynthesizerTest {
    private static final String KEY = "sk-secret-echo";
    private FakeSpeechServer server;
    private HttpClient http;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakeSpeechServer();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static TtsConfig config(TtsConfig.Provider provider, URI url, Duration timeout) {
        return new TtsConfig(provider, url, KEY, Map.of(), null, null, timeout, "b1gfolder", null, null, null, null, null);
    }

    static Stream<Arguments> providers() {
        BiFunction<URI, Duration, SpeechSynthesizer> openai = (base, t) ->
                new OpenAiSpeechSynthesizer(config(TtsConfig.Provider.OPENAI, base, t), HttpClient.newHttpClient());
        BiFunction<URI, Duration, SpeechSynthesizer> yandex = (base, t) ->
                new YandexSpeechSynthesizer(config(TtsConfig.Provider.YANDEX, base.resolve("/speech/v1/tts:synthesize"), t),
                        HttpClient.newHttpClient());
        return Stream.of(Arguments.of("openai", openai), Arguments.of("yandex", yandex));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceReturnsAudio_returnsTheBytes(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        SynthesizedSpeech speech = tts.synthesize("Привет, мир", Language.RU);

        assertThat(speech.audio()).isEqualTo(server.audio());
        assertThat(speech.contentType()).isEqualTo("audio/wav");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceStallsBeforeHeaders_failsWithTimeoutSentence(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.STALL);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofMillis(500));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_TIMEOUT))
                .hasMessage("The speech service (" + name + ") did not answer within 0.5 s.");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceStallsMidBody_failsWithTimeout(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.STALL_BODY);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofMillis(500));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceAnswersEmpty_failsWithEmpty(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.EMPTY);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_EMPTY))
                .hasMessageContaining("no audio");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenService500_failsWithStatusAndNeverTheKey(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.ERROR_500);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("HTTP 500")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenKeyRejected_saysCheckTheKeyWithoutIt(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.UNAUTHORIZED);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("HTTP 401").hasMessageContaining("check the TTS key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceAnswersHtml_failsAsNotAudio(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.HTML);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("text/html").hasMessageContaining("instead of audio");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenServiceAnswersJsonWith200_failsAsNotAudio(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        server.mode(Mode.JSON_ERROR_200);
        SpeechSynthesizer tts = make.apply(server.base(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void synthesize_whenNothingListens_failsWithConnectSentence(String name, BiFunction<URI, Duration, SpeechSynthesizer> make) {
        URI dead = server.base();
        server.close();
        SpeechSynthesizer tts = make.apply(dead, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("Could not connect");
    }

    @Test
    void openAi_sendsJsonRequestWithBearerKey() throws IOException {
        TtsConfig cfg = new TtsConfig(TtsConfig.Provider.OPENAI, server.base(), KEY, Map.of(Language.KK, "nova"),
                "gpt-4o-mini-tts", "mp3", Duration.ofSeconds(5), null, null, null, null, null, null);

        new OpenAiSpeechSynthesizer(cfg, http).synthesize("Сәлем", Language.KK);

        FakeSpeechServer.Received r = server.last();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/audio/speech");
        assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(r.contentType()).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini-tts");
        assertThat(body.get("input").asText()).isEqualTo("Сәлем");
        assertThat(body.get("voice").asText()).isEqualTo("nova");
        assertThat(body.get("response_format").asText()).isEqualTo("mp3");
    }

    @Test
    void yandex_sendsFormWithLanguageVoiceFolderAndApiKey() {
        TtsConfig cfg = new TtsConfig(TtsConfig.Provider.YANDEX, server.base().resolve("/speech/v1/tts:synthesize"), KEY,
                Map.of(), null, "oggopus", Duration.ofSeconds(5), "b1gfolder", TtsConfig.YandexAuth.API_KEY, null, null, null, null);

        new YandexSpeechSynthesizer(cfg, http).synthesize("Сәлем & бар", Language.KK);

        FakeSpeechServer.Received r = server.last();
        assertThat(r.path()).isEqualTo("/speech/v1/tts:synthesize");
        assertThat(r.authorization()).isEqualTo("Api-Key " + KEY);
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(form(r.body())).containsEntry("text", "Сәлем & бар").containsEntry("lang", "kk-KK")
                .containsEntry("voice", "madi").containsEntry("format", "oggopus").containsEntry("folderId", "b1gfolder");
    }

    @Test
    void yandex_withIamToken_sendsBearer() {
        TtsConfig cfg = new TtsConfig(TtsConfig.Provider.YANDEX, server.base(), "t1.token", Map.of(), null, null,
                Duration.ofSeconds(5), "b1gfolder", TtsConfig.YandexAuth.IAM_TOKEN, null, null, null, null);

        new YandexSpeechSynthesizer(cfg, http).synthesize("hello", Language.EN);

        assertThat(server.last().authorization()).isEqualTo("Bearer t1.token");
        assertThat(form(server.last().body())).containsEntry("lang", "en-US").containsEntry("format", "mp3");
    }

    @Test
    void yandex_withIamTokenAndNoFolder_isRefusedAtConstruction() {
        TtsConfig cfg = new TtsConfig(TtsConfig.Provider.YANDEX, null, "t1.token", Map.of(), null, null,
                Duration.ofSeconds(5), null, TtsConfig.YandexAuth.IAM_TOKEN, null, null, null, null);

        assertThatThrownBy(() -> new YandexSpeechSynthesizer(cfg, http))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("folder id");
    }

    @Test
    void openAi_endpoint_acceptsBaseWithOrWithoutV1() {
        TtsConfig a = config(TtsConfig.Provider.OPENAI, URI.create("http://h:1/"), Duration.ofSeconds(1));
        TtsConfig b = config(TtsConfig.Provider.OPENAI, URI.create("http://h:1/v1"), Duration.ofSeconds(1));

        assertThat(new OpenAiSpeechSynthesizer(a, http).endpoint()).hasToString("http://h:1/v1/audio/speech");
        assertThat(new OpenAiSpeechSynthesizer(b, http).endpoint()).hasToString("http://h:1/v1/audio/speech");
    }

    @Test
    void config_toString_hidesTheKey() {
        assertThat(config(TtsConfig.Provider.OPENAI, null, Duration.ofSeconds(1)).toString()).doesNotContain(KEY);
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8), p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }
}
