package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.FaceBox;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.Language;
import ai.lipsync.tts.TtsConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's settings from environment variables. The pipeline settings use the names the
 * embedded default's Spring binding reads ({@code lipsync.tts.provider} is {@code LIPSYNC_TTS_PROVIDER}),
 * so one environment file configures both; durations are written as Spring writes them
 * ({@code 20s}, {@code 500ms}, {@code 2m}, ISO {@code PT20S}; a bare number is milliseconds).
 * Every default is the laptop default. An unusable value fails at startup naming its variable.
 */
public final class WorkerEnvironment {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private final Map<String, String> env;

    public WorkerEnvironment(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * @param visibility the queue's visibility timeout (AwsSettings: LIPSYNC_VISIBILITY_SECONDS)
     * @param lease the claim length (AwsSettings: LIPSYNC_LEASE_SECONDS)
     * @param maxReceives the queue's redrive limit (AwsSettings: LIPSYNC_MAX_RECEIVES)
     */
    public WorkerSettings workerSettings(Duration visibility, Duration lease, int maxReceives) {
        Duration defaultBeat = lease.dividedBy(3);
        try {
            return new WorkerSettings(
                    text("LIPSYNC_WORKER_ID").orElseGet(WorkerEnvironment::defaultWorkerId),
                    duration("LIPSYNC_WORKER_POLLWAIT", Duration.ofSeconds(20)),
                    visibility, lease,
                    duration("LIPSYNC_WORKER_HEARTBEAT", defaultBeat),
                    maxReceives,
                    duration("LIPSYNC_WORKER_SHUTDOWNGRACE", Duration.ofSeconds(90)),
                    duration("LIPSYNC_WORKER_DLQSWEEP", Duration.ofSeconds(60)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unusable worker settings (LIPSYNC_WORKER_*, LIPSYNC_LEASE_SECONDS,"
                    + " LIPSYNC_VISIBILITY_SECONDS, LIPSYNC_MAX_RECEIVES): " + e.getMessage(), e);
        }
    }

    /**
     * {@code LIPSYNC_WORKER_METRICSPORT}: the port of the Prometheus scrape endpoint
     * ({@link WorkerMetricsServer}, {@code GET /metrics}); unset: no endpoint; 0: any free port.
     */
    public OptionalInt metricsPort() {
        String name = "LIPSYNC_WORKER_METRICSPORT";
        if (text(name).isEmpty()) {
            return OptionalInt.empty();
        }
        long port = whole(name, 0);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be a port number (0..65535), was " + port);
        }
        return OptionalInt.of((int) port);
    }

    public GenerationSettings generationSettings() {
        AvatarSettings d = AvatarSettings.defaults();
        Map<String, FaceBox> boxes = new HashMap<>();
        env.forEach((name, value) -> {
            String prefix = "LIPSYNC_AVATAR_FACEBOXES_";
            if (name.startsWith(prefix) && !value.isBlank()) {
                boxes.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), FaceBox.parse(value.trim()));
            }
        });
        AvatarSettings avatars = new AvatarSettings(
                path("LIPSYNC_AVATAR_VIDEODIR", d.videoDir()),
                number("LIPSYNC_AVATAR_MAXSECONDS", d.maxSeconds()),
                (int) number("LIPSYNC_AVATAR_MAXLONGSIDE", d.maxLongSide()),
                boxes, d.detectionSamples(),
                path("LIPSYNC_AVATAR_PREPAREDDIR", d.preparedDir()))
                .withCachedAvatars(wholeOrNull("LIPSYNC_AVATAR_CACHESIZE"));
        return new GenerationSettings(path("LIPSYNC_STORAGE_DATADIR", Path.of("data")), avatars, tts(),
                (int) number("LIPSYNC_VIDEO_FPS", 25), models(), quality(), maxSpeech());
    }

    /** {@code LIPSYNC_VIDEO_QUALITY} (CRF scale) and {@code LIPSYNC_VIDEO_MAXBITRATE} (bits/s); unset: the defaults. */
    VideoQuality quality() {
        try {
            return VideoQuality.of(wholeOrNull("LIPSYNC_VIDEO_QUALITY"), wholeOrNull("LIPSYNC_VIDEO_MAXBITRATE"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LIPSYNC_VIDEO_QUALITY / LIPSYNC_VIDEO_MAXBITRATE: " + e.getMessage(), e);
        }
    }

    private Integer wholeOrNull(String name) {
        if (text(name).isEmpty()) {
            return null;
        }
        long value = whole(name, 0);
        if (value != (int) value) {
            throw new IllegalArgumentException(name + " is out of range, was " + value);
        }
        return (int) value;
    }

    /** The embedded default's {@code lipsync.api.max-speech-duration}. */
    private Duration maxSpeech() {
        String name = "LIPSYNC_API_MAXSPEECHDURATION";
        Duration d = duration(name, PipelineSettings.DEFAULT_MAX_SPEECH);
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0, was '" + text(name).orElse("") + "'");
        }
        return d;
    }

    /** {@code LIPSYNC_MODELS_DIR} (the container sets /models), {@code LIPSYNC_MODELS_GPU}, {@code LIPSYNC_MODELS_BATCHSIZE}. */
    ModelSettings models() {
        ModelSettings d = ModelSettings.defaults();
        return new ModelSettings(path("LIPSYNC_MODELS_DIR", d.dir()),
                text("LIPSYNC_MODELS_GPU").map(v -> bool("LIPSYNC_MODELS_GPU", v)).orElse(d.gpu()),
                (int) whole("LIPSYNC_MODELS_BATCHSIZE", d.batchSize()));
    }

    private static boolean bool(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
        };
    }

    private long whole(String name, long fallback) {
        return text(name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'", e);
            }
        }).orElse(fallback);
    }

    TtsConfig tts() {
        TtsConfig d = TtsConfig.defaultEspeak();
        Map<Language, String> voices = new EnumMap<>(Language.class);
        for (Language lang : Language.values()) {
            text("LIPSYNC_TTS_VOICES_" + lang.code().toUpperCase(Locale.ROOT)).ifPresent(v -> voices.put(lang, v));
        }
        return new TtsConfig(
                text("LIPSYNC_TTS_PROVIDER").map(v -> enumValue("LIPSYNC_TTS_PROVIDER", TtsConfig.Provider.class, v))
                        .orElse(d.provider()),
                text("LIPSYNC_TTS_URL").map(WorkerEnvironment::uri).orElse(null),
                text("LIPSYNC_TTS_KEY").orElse(null),
                voices,
                text("LIPSYNC_TTS_MODEL").orElse(null),
                text("LIPSYNC_TTS_FORMAT").orElse(null),
                duration("LIPSYNC_TTS_TIMEOUT", Duration.ofSeconds(20)),
                text("LIPSYNC_TTS_FOLDERID").orElse(null),
                text("LIPSYNC_TTS_YANDEXAUTH").map(v -> enumValue("LIPSYNC_TTS_YANDEXAUTH",
                        TtsConfig.YandexAuth.class, v)).orElse(null),
                text("LIPSYNC_TTS_ESPEAKCOMMAND").orElse(d.espeakCommand()));
    }

    private Optional<String> text(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private Path path(String name, Path fallback) {
        return text(name).map(Path::of).orElse(fallback);
    }

    private double number(String name, double fallback) {
        return text(name).map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, was '" + v + "'", e);
            }
        }).orElse(fallback);
    }

    Duration duration(String name, Duration fallback) {
        return text(name).map(v -> parseDuration(name, v)).orElse(fallback);
    }

    static Duration parseDuration(String name, String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 20s, 500ms or PT20S, was '"
                    + value + "'", e);
        }
    }

    private static <E extends Enum<E>> E enumValue(String name, Class<E> type, String value) {
        String constant = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, constant);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT).replace('_', '-')
                    + ", was '" + value + "'", e);
        }
    }

    private static URI uri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("LIPSYNC_TTS_URL is not a URL: '" + value + "'", e);
        }
    }

    /** The host name (an ECS task's or a container's) plus a random part: unique per process. */
    private static String defaultWorkerId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("worker");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
