package ai.lipsync.local;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.FaceBox;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.Language;
import ai.lipsync.tts.TtsConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting of the local service, bound once from {@code lipsync.*} (application.yml, system
 * properties, or environment variables such as {@code LIPSYNC_TTS_PROVIDER}). The defaults run on
 * a laptop with nothing but espeak-ng installed.
 */
@ConfigurationProperties("lipsync")
public record LipsyncProperties(
        @DefaultValue Api api,
        @DefaultValue Queue queue,
        @DefaultValue Tts tts,
        @DefaultValue Storage storage,
        @DefaultValue Avatar avatar,
        @DefaultValue Video video,
        @DefaultValue Retention retention,
        @DefaultValue Startup startup,
        @DefaultValue Models models) {

    /**
     * @param maxTextLength characters per request; raise it for long answers, at the cost of
     *     longer generations holding a worker
     * @param maxSpeechDuration the longest speech one request may render; a longer one ends the
     *     session in {@code speech_too_long} before any frame (unset: {@link PipelineSettings#DEFAULT_MAX_SPEECH})
     */
    public record Api(@DefaultValue("2000") int maxTextLength, Duration maxSpeechDuration) {
        public Api {
            maxSpeechDuration = maxSpeechDuration == null ? PipelineSettings.DEFAULT_MAX_SPEECH : maxSpeechDuration;
        }
    }

    /**
     * @param capacity jobs that may wait for a worker; beyond it callers get 429 and Retry-After
     * @param workers generations at once; more than one only helps with spare cores or GPUs
     * @param retryAfter what a refused caller is told to wait
     * @param drainTimeout how long shutdown waits for accepted jobs to finish
     */
    public record Queue(@DefaultValue("16") int capacity, @DefaultValue("1") int workers,
                        @DefaultValue("10s") Duration retryAfter, @DefaultValue("120s") Duration drainTimeout) {
    }

    /**
     * @param provider espeak (local, default), openai (any OpenAI-compatible server) or yandex
     * @param url the provider's base URL or endpoint; empty for its public default
     * @param key API key or IAM token; prefer the environment (LIPSYNC_TTS_KEY) to files
     * @param voices voice per language code (ru, kk, en); unset languages use the provider default
     * @param timeout a stalled service ends the session in tts_timeout after this long
     */
    public record Tts(@DefaultValue("espeak") TtsConfig.Provider provider, URI url, String key,
                      Map<String, String> voices, String model, String format,
                      @DefaultValue("20s") Duration timeout, String folderId,
                      @DefaultValue("api-key") TtsConfig.YandexAuth yandexAuth,
                      @DefaultValue("espeak-ng") String espeakCommand) {

        public TtsConfig toConfig() {
            Map<Language, String> byLang = new EnumMap<>(Language.class);
            if (voices != null) {
                voices.forEach((code, voice) -> byLang.put(Language.fromCode(code).orElseThrow(() ->
                        new IllegalArgumentException("lipsync.tts.voices." + code
                                + " names no supported language (ru, kk, en).")), voice));
            }
            return new TtsConfig(provider, url, key, byLang, model, format, timeout, folderId, yandexAuth, espeakCommand);
        }

        /** The key never reaches a log line or an error message (Spring prints bound records on failure). */
        @Override
        public String toString() {
            return toConfig().toString();
        }
    }

    /**
     * @param dataDir per-session TTS audio goes to {@code dataDir/audio/{session}/tts.mp3}
     * @param hlsDir per-session HLS output, {@code hlsDir/{session}/}
     */
    public record Storage(@DefaultValue("data") Path dataDir, @DefaultValue("static/hls") Path hlsDir) {
    }

    /**
     * @param defaultId the avatar used when a request names none
     * @param videoDir source videos; a file {@code name.mp4} there is the avatar {@code name}
     * @param faceBoxes {@code x,y,width,height} per avatar id, for videos whose face the bundled
     *     cascade misses or misplaces; unlisted avatars are detected
     * @param maxSeconds at most this much of a source video is kept in memory (looped ping-pong)
     * @param maxLongSide larger frames are scaled down: memory and encode speed
     * @param preparedDir where each video avatar's face box is noted so a restart skips detection
     */
    public record Avatar(@DefaultValue("default") String defaultId, @DefaultValue("data/video") Path videoDir,
                         Map<String, String> faceBoxes, @DefaultValue("8") double maxSeconds,
                         @DefaultValue("720") int maxLongSide,
                         @DefaultValue("results/webapp/avatar") Path preparedDir) {

        public AvatarSettings toSettings() {
            Map<String, FaceBox> boxes = new HashMap<>();
            if (faceBoxes != null) {
                faceBoxes.forEach((id, box) -> boxes.put(id, FaceBox.parse(box)));
            }
            AvatarSettings defaults = AvatarSettings.defaults();
            return new AvatarSettings(videoDir, maxSeconds, maxLongSide, boxes, defaults.detectionSamples(),
                    preparedDir);
        }
    }

    /**
     * @param fps output frame rate; MuseTalk was trained at 25
     * @param quality the H.264 constant-quality level on the x264 CRF scale (1..51, lower = better and
     *     bigger), libx264's crf and NVENC's cq alike; unset: {@link VideoQuality#defaults()}
     * @param maxBitrate bits per second either encoder may peak at; unset: {@link VideoQuality#defaults()}
     */
    public record Video(@DefaultValue("25") int fps, Integer quality, Integer maxBitrate) {

        public VideoQuality toQuality() {
            return VideoQuality.of(quality, maxBitrate);
        }
    }

    /**
     * @param keep how long a finished session (its status, stream and tts.mp3) stays available
     * @param sweepInterval how often expired sessions are looked for
     */
    public record Retention(@DefaultValue("24h") Duration keep, @DefaultValue("10m") Duration sweepInterval) {
    }

    /** @param checkPrerequisites refuse to start when a required tool is missing (espeak-ng) */
    public record Startup(@DefaultValue("true") boolean checkPrerequisites) {
    }

    /**
     * @param dir the exported MuseTalk 1.5 graphs (manifest.json + *.pt); absent = the weights-free
     *     engine, half-present or corrupt = a startup error
     * @param gpu use CUDA (fp16 graphs) when libtorch sees a GPU; false keeps the CPU (fp32)
     * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with
     */
    public record Models(@DefaultValue("models/musetalk15") Path dir, @DefaultValue("true") boolean gpu,
                         @DefaultValue("0") int batchSize) {
    }
}
