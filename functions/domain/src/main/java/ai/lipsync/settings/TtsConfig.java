package ai.lipsync.settings;

import ai.lipsync.session.Language;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How to reach the speech service. Bound once at the edge (properties or environment) and handed to
 * {@link SpeechSynthesizers#create}.
 *
 * @param provider which service speaks
 * @param url the service's base URL (openai) or full endpoint (yandex); null means the provider's public default
 * @param key the API key or IAM token; never logged, never put in an error message
 * @param voices voice per language; a missing language falls back to the provider's default voice
 * @param model the model name (openai only; "tts-1" when null)
 * @param format audio format the service is asked for (openai: mp3|opus|aac|flac|wav; yandex: mp3|oggopus)
 * @param timeout the whole request, headers and body: a stalled service ends the session in tts_timeout
 * @param folderId Yandex Cloud folder; required there with IAM tokens, optional with API keys
 * @param yandexAuth how the Yandex key is sent
 * @param espeakCommand the espeak-ng executable (a name on the PATH or a path)
 * @param maxChunkChars the longest utterance chunk the text is split into (one speech request each);
 *     a sentence longer than this is split at a clause, else a word boundary
 * @param firstChunkChars the longest first chunk, shorter so that the first words are spoken sooner;
 *     at most {@code maxChunkChars}
 * @param lookAheadChunks how many chunks are synthesized ahead of the one being rendered (at least 1): speech
 *     for the next sentences is ready when the current one ends, while a long text does not send all its
 *     requests at once
 */
public record TtsConfig(
        Provider provider,
        URI url,
        String key,
        Map<Language, String> voices,
        String model,
        String format,
        Duration timeout,
        String folderId,
        YandexAuth yandexAuth,
        String espeakCommand,
        Integer maxChunkChars,
        Integer firstChunkChars,
        Integer lookAheadChunks) {

    public enum Provider { ESPEAK, OPENAI, YANDEX }

    /** Yandex accepts a long-lived API key ("Api-Key ...") or a short-lived IAM token ("Bearer ..."). */
    public enum YandexAuth { API_KEY, IAM_TOKEN }

    /** A stalled service ends the session after this long unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** A null (unset) provider, timeout, auth or command takes its default: the one place of each. */
    public TtsConfig {
        provider = provider == null ? Provider.ESPEAK : provider;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("lipsync.tts.timeout must be positive, was " + timeout + ".");
        }
        voices = voices == null || voices.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(voices));
        yandexAuth = yandexAuth == null ? YandexAuth.API_KEY : yandexAuth;
        espeakCommand = espeakCommand == null || espeakCommand.isBlank() ? "espeak-ng" : espeakCommand;
        maxChunkChars = maxChunkChars == null ? 250 : maxChunkChars;
        firstChunkChars = firstChunkChars == null ? Math.min(80, maxChunkChars) : firstChunkChars;
        lookAheadChunks = lookAheadChunks == null ? 2 : lookAheadChunks;
        if (lookAheadChunks < 1) {
            throw new IllegalArgumentException("lipsync.tts.look-ahead-chunks must be at least 1, was " + lookAheadChunks + ".");
        }
        if (maxChunkChars < 1) {
            throw new IllegalArgumentException("lipsync.tts.max-chunk-chars must be at least 1, was " + maxChunkChars + ".");
        }
        if (firstChunkChars < 1 || firstChunkChars > maxChunkChars) {
            throw new IllegalArgumentException("lipsync.tts.first-chunk-chars must be between 1 and lipsync.tts.max-chunk-chars ("
                    + maxChunkChars + "), was " + firstChunkChars + ".");
        }
    }

    /** The laptop default: local espeak-ng, no network, no key. */
    public static TtsConfig defaultEspeak() {
        return new TtsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public String voiceFor(Language lang, Map<Language, String> providerDefaults) {
        String voice = voices.get(lang);
        return voice == null || voice.isBlank() ? providerDefaults.get(lang) : voice;
    }

    /** Hides the key so the record can be logged. */
    @Override
    public String toString() {
        return "TtsConfig[provider=" + provider + ", url=" + url + ", key=" + (key == null || key.isBlank() ? "none" : "***")
                + ", voices=" + voices + ", model=" + model + ", format=" + format + ", timeout=" + timeout
                + ", folderId=" + folderId + ", yandexAuth=" + yandexAuth + ", espeakCommand=" + espeakCommand
                + ", maxChunkChars=" + maxChunkChars + ", firstChunkChars=" + firstChunkChars
                + ", lookAheadChunks=" + lookAheadChunks + "]";
    }
}
