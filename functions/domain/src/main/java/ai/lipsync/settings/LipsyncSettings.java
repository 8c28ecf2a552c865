package ai.lipsync.settings;

import ai.lipsync.preparation.FaceBox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every setting of the service, one tree under {@code lipsync.*}: the web app, the Lambda function
 * and the GPU worker bind the same tree (Spring Boot's {@code Binder}, from application.yml, the
 * command line or the environment: {@code lipsync.video.fps} is {@code LIPSYNC_VIDEO_FPS} everywhere).
 * Plain records in the domain, no Spring, so the Lambda binds the same tree without the media and
 * lip-sync modules: an unset (null) component takes its default in its record's compact constructor
 * (or {@link TtsConfig}'s), the one place of each default; the records the other modules run on
 * ({@code AvatarSettings}, {@code HlsSettings}, {@code VideoQuality}, {@code PipelineSettings}) are
 * made from this tree. Each record refuses a bad value with a message naming the setting.
 */
public record LipsyncSettings(Api api, Queue queue, TtsConfig tts, Storage storage, Avatar avatar, Video video,
        Hls hls, Retention retention, Startup startup, Models models, Playlist playlist, Worker worker, Aws aws) {

    public LipsyncSettings {
        api = api != null ? api : new Api(null, null);
        queue = queue != null ? queue : new Queue(null, null, null, null, null);
        tts = tts != null ? tts : TtsConfig.defaultEspeak();
        storage = storage != null ? storage : new Storage(null, null);
        avatar = avatar != null ? avatar : new Avatar(null, null, null, null, null, null, null, null, null);
        video = video != null ? video : new Video(null, null, null);
        hls = hls != null ? hls : new Hls(null, null, null, null, null);
        retention = retention != null ? retention : new Retention(null, null);
        startup = startup != null ? startup : new Startup(null);
        models = models != null ? models : new Models(null, null, null);
        playlist = playlist != null ? playlist : new Playlist(null, null);
        worker = worker != null ? worker : new Worker(null, null, null, null, null, null, null);
        aws = aws != null ? aws : new Aws(null, null, null, null, null, null, null, null, null);
    }

    /** Every setting at its default. */
    public static LipsyncSettings defaults() {
        return new LipsyncSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Where FFmpeg writes a session's files before they are published: {@code data-dir/work}. */
    public Path encoderWorkDir() {
        return storage.dataDir().resolve("work");
    }

    /**
     * @param maxTextLength characters per request; raise it for long answers, at the cost of longer
     *     generations holding a worker
     * @param maxSpeechDuration the longest speech one request may render; a longer one ends the
     *     session in {@code speech_too_long} before any frame
     */
    public record Api(Integer maxTextLength, Duration maxSpeechDuration) {
        public Api {
            maxTextLength = maxTextLength != null ? maxTextLength : 2000;
            maxSpeechDuration = maxSpeechDuration != null ? maxSpeechDuration : Duration.ofMinutes(5);
            atLeast("lipsync.api.max-text-length", maxTextLength, 1);
            positive("lipsync.api.max-speech-duration", maxSpeechDuration);
        }
    }

    /**
     * @param capacity jobs that may wait for a worker; beyond it callers get 429 and Retry-After
     * @param workers generations at once; more than one only helps with spare cores or GPUs
     * @param retryAfter what a refused caller is told to wait
     * @param drainTimeout how long shutdown waits for accepted jobs to finish
     * @param startDeadline a job no worker started within this time of its session's creation ends in
     *     {@code expired}, never rendered (here and on the GPU workers' SQS queue)
     */
    public record Queue(Integer capacity, Integer workers, Duration retryAfter, Duration drainTimeout,
            Duration startDeadline) {
        public Queue {
            capacity = capacity != null ? capacity : 16;
            workers = workers != null ? workers : 1;
            retryAfter = retryAfter != null ? retryAfter : Duration.ofSeconds(10);
            drainTimeout = drainTimeout != null ? drainTimeout : Duration.ofSeconds(120);
            startDeadline = startDeadline != null ? startDeadline : Duration.ofMinutes(2);
            atLeast("lipsync.queue.capacity", capacity, 1);
            atLeast("lipsync.queue.workers", workers, 1);
            positive("lipsync.queue.retry-after", retryAfter);
            notNegative("lipsync.queue.drain-timeout", drainTimeout);
            positive("lipsync.queue.start-deadline", startDeadline);
        }
    }

    /**
     * @param dataDir per-session TTS audio under {@code dataDir/audio/{session}/tts.mp3}, encoder scratch
     *     under {@code dataDir/work}
     * @param hlsDir per-session HLS output of the embedded default, {@code hlsDir/{session}/}
     */
    public record Storage(Path dataDir, Path hlsDir) {
        public Storage {
            dataDir = dataDir != null ? dataDir : Path.of("data");
            hlsDir = hlsDir != null ? hlsDir : Path.of("static", "hls");
        }
    }

    /**
     * @param defaultId the avatar used when a request names none
     * @param ids the avatars the GPU workers have (the API on AWS has no avatar files to look at)
     * @param videoDir source videos; a file {@code name.mp4} there is the avatar {@code name}
     * @param faceBoxes {@code x,y,width,height} per avatar id, for videos whose face the bundled cascade
     *     misses or misplaces; unlisted avatars are detected
     * @param maxSeconds at most this much of a source video is kept in memory (looped ping-pong)
     * @param maxLongSide larger frames are scaled down: memory and encode speed
     * @param preparedDir where each video avatar's preparation is noted so a restart skips detection
     * @param cacheSize how many loaded avatars stay in memory (least recently used leave first)
     * @param maxUploadBytes the largest avatar video {@code POST /api/avatars} takes
     */
    public record Avatar(String defaultId, List<String> ids, Path videoDir, Map<String, String> faceBoxes,
            Double maxSeconds, Integer maxLongSide, Path preparedDir, Integer cacheSize, Long maxUploadBytes) {

        public Avatar {
            defaultId = defaultId != null && !defaultId.isBlank() ? defaultId : "default";
            ids = ids != null && !ids.isEmpty() ? List.copyOf(ids) : List.of("default");
            videoDir = videoDir != null ? videoDir : Path.of("data", "video");
            faceBoxes = faceBoxes != null ? Map.copyOf(faceBoxes) : Map.of();
            maxSeconds = maxSeconds != null ? maxSeconds : 8.0;
            maxLongSide = maxLongSide != null ? maxLongSide : 720;
            preparedDir = preparedDir != null ? preparedDir : Path.of("results", "webapp", "avatar");
            cacheSize = cacheSize != null ? cacheSize : 4;
            maxUploadBytes = maxUploadBytes != null ? maxUploadBytes : 200L * 1024 * 1024;
            if (!(maxSeconds > 0)) {
                throw new IllegalArgumentException("lipsync.avatar.max-seconds must be positive, was " + maxSeconds);
            }
            atLeast("lipsync.avatar.max-long-side", maxLongSide, 64);
            atLeast("lipsync.avatar.cache-size", cacheSize, 1);
            if (maxUploadBytes < 1) {
                throw new IllegalArgumentException("lipsync.avatar.max-upload-bytes must be positive, was "
                        + maxUploadBytes);
            }
            faceBoxes.forEach((id, box) -> {
                try {
                    FaceBox.parse(box);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("lipsync.avatar.face-boxes." + id + ": " + e.getMessage(), e);
                }
            });
        }

        /** The configured face boxes, parsed (each was checked when the tree was made). */
        public Map<String, FaceBox> parsedFaceBoxes() {
            Map<String, FaceBox> boxes = new java.util.HashMap<>();
            faceBoxes.forEach((id, box) -> boxes.put(id, FaceBox.parse(box)));
            return Map.copyOf(boxes);
        }

        /**
         * The workers' avatars, refusing a default that is not among them: every request that names
         * no avatar would otherwise be accepted by the API and fail on the worker.
         *
         * @throws IllegalStateException naming both settings
         */
        public Set<String> checkedIds() {
            Set<String> known = Set.copyOf(ids);
            if (!known.contains(defaultId)) {
                throw new IllegalStateException("The default avatar '" + defaultId + "' is not among the workers'"
                        + " avatars " + known + ": add it to lipsync.avatar.ids (LIPSYNC_AVATAR_IDS) or set"
                        + " lipsync.avatar.default-id (LIPSYNC_AVATAR_DEFAULT_ID) to one of them.");
            }
            return known;
        }
    }

    /**
     * @param fps output frame rate; MuseTalk was trained at 25
     * @param quality the H.264 constant-quality level on the x264 CRF scale (1..51, lower = better and
     *     bigger), libx264's crf and NVENC's cq alike; CRF 23 is x264's own default
     * @param maxBitrate bits per second either encoder may peak at (at least 100 kb/s: less makes even a
     *     still face blocky); a 720 px talking head needs about a third of the default 4 Mb/s
     */
    public record Video(Integer fps, Integer quality, Integer maxBitrate) {
        public Video {
            fps = fps != null ? fps : 25;
            quality = quality != null ? quality : 23;
            maxBitrate = maxBitrate != null ? maxBitrate : 4_000_000;
            if (fps < 1 || fps > 60) {
                throw new IllegalArgumentException("lipsync.video.fps must be 1..60, was " + fps);
            }
            if (quality < 1 || quality > 51) {
                throw new IllegalArgumentException("lipsync.video.quality (a CRF-scale level) must be 1..51, was "
                        + quality);
            }
            atLeast("lipsync.video.max-bitrate", maxBitrate, 100_000);
        }
    }

    /**
     * How streams are cut and their audio encoded.
     *
     * @param segmentSeconds segment (and GOP) length
     * @param x264Preset x264 speed preset
     * @param nvencPreset NVENC preset (p1 fastest .. p7 best)
     * @param audioSampleRate AAC sample rate, 44100 or 48000
     * @param audioBitrate AAC bits per second
     */
    public record Hls(Integer segmentSeconds, String x264Preset, String nvencPreset, Integer audioSampleRate,
            Integer audioBitrate) {
        public Hls {
            segmentSeconds = segmentSeconds != null ? segmentSeconds : 1;
            x264Preset = x264Preset != null && !x264Preset.isBlank() ? x264Preset : "veryfast";
            nvencPreset = nvencPreset != null && !nvencPreset.isBlank() ? nvencPreset : "p4";
            audioSampleRate = audioSampleRate != null ? audioSampleRate : 48_000;
            audioBitrate = audioBitrate != null ? audioBitrate : 96_000;
            atLeast("lipsync.hls.segment-seconds", segmentSeconds, 1);
            atLeast("lipsync.hls.audio-bitrate", audioBitrate, 16_000);
            if (audioSampleRate != 44_100 && audioSampleRate != 48_000) {
                throw new IllegalArgumentException("lipsync.hls.audio-sample-rate must be 44100 or 48000, was "
                        + audioSampleRate);
            }
        }
    }

    /**
     * @param keep how long a finished session (its status, stream and tts.mp3) stays available
     * @param sweepInterval how often expired sessions are looked for
     */
    public record Retention(Duration keep, Duration sweepInterval) {
        public Retention {
            keep = keep != null ? keep : Duration.ofHours(24);
            sweepInterval = sweepInterval != null ? sweepInterval : Duration.ofMinutes(10);
            positive("lipsync.retention.keep", keep);
            positive("lipsync.retention.sweep-interval", sweepInterval);
        }
    }

    /** @param checkPrerequisites refuse to start when a required tool is missing (espeak-ng) */
    public record Startup(Boolean checkPrerequisites) {
        public Startup {
            checkPrerequisites = checkPrerequisites == null || checkPrerequisites;
        }
    }

    /**
     * @param dir the exported MuseTalk 1.5 graphs (manifest.json + *.pt); absent = the weights-free
     *     engine, half-present or corrupt = a startup error (EngineSelection)
     * @param gpu use CUDA (fp16 graphs) when libtorch sees a GPU; false keeps the CPU (fp32)
     * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with
     */
    public record Models(Path dir, Boolean gpu, Integer batchSize) {
        public Models {
            dir = dir != null ? dir : Path.of("models", "musetalk15");
            gpu = gpu == null || gpu;
            batchSize = batchSize != null ? batchSize : 0;
            if (batchSize < 0) {
                throw new IllegalArgumentException("lipsync.models.batch-size must be >= 0 (0 = the exported batch),"
                        + " was " + batchSize);
            }
        }
    }

    /**
     * How the API on AWS names segments in the playlists it proxies.
     *
     * @param presignExpiry how long each presigned segment URL works (at most 7 days, SigV4's limit)
     * @param cloudfrontBaseUrl set: segment URIs under this CloudFront base instead of presigned S3 URLs
     */
    public record Playlist(Duration presignExpiry, String cloudfrontBaseUrl) {
        public Playlist {
            presignExpiry = presignExpiry != null ? presignExpiry : Duration.ofHours(1);
            positive("lipsync.playlist.presign-expiry", presignExpiry);
            if (presignExpiry.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("lipsync.playlist.presign-expiry must be at most 7 days, was "
                        + presignExpiry);
            }
            if (cloudfrontBaseUrl != null && cloudfrontBaseUrl.isBlank()) {
                cloudfrontBaseUrl = null;
            }
        }

        public boolean cloudFront() {
            return cloudfrontBaseUrl != null;
        }
    }

    /**
     * The GPU worker's loop (the lease and the visibility are the AWS settings').
     *
     * @param id written into the session while this worker holds it; unset: the host name and a random part
     * @param pollWait SQS long-poll wait per receive (at most 20 s)
     * @param heartbeat how often visibility and lease are extended while working; unset: a third of the lease
     * @param shutdownGrace on SIGTERM, how long the current job may still run before it is released
     * @param dlqSweep how often the dead-letter queue is looked at for sessions to end in error
     * @param maxInferenceFailures after this many inference failures in a row that are not the input's fault
     *     ({@code inference_failed}, {@code inference_oom}), the worker hands its job back and exits, so that
     *     a task with a broken GPU is replaced instead of failing the whole queue
     */
    public record Worker(String id, Duration pollWait, Duration heartbeat, Duration shutdownGrace, Duration dlqSweep,
            Integer metricsPort, Integer maxInferenceFailures) {
        public Worker {
            maxInferenceFailures = maxInferenceFailures != null ? maxInferenceFailures : 3;
            if (maxInferenceFailures < 1) {
                throw new IllegalArgumentException("lipsync.worker.max-inference-failures must be at least 1, was "
                        + maxInferenceFailures);
            }
            if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
                throw new IllegalArgumentException("lipsync.worker.metrics-port must be a port number (0..65535), was "
                        + metricsPort);
            }
            id = id != null && !id.isBlank() ? id.trim() : null;
            pollWait = pollWait != null ? pollWait : Duration.ofSeconds(20);
            shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(90);
            dlqSweep = dlqSweep != null ? dlqSweep : Duration.ofSeconds(60);
            if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("lipsync.worker.poll-wait must be 0..20 s (the SQS limit), was "
                        + pollWait);
            }
            if (heartbeat != null) {
                positive("lipsync.worker.heartbeat", heartbeat);
            }
            notNegative("lipsync.worker.shutdown-grace", shutdownGrace);
            positive("lipsync.worker.dlq-sweep", dlqSweep);
        }

        /** The Prometheus scrape port ({@code GET /metrics}); empty (the default): no endpoint; 0: any free port. */
        public OptionalInt metricsPortIfSet() {
            return metricsPort != null ? OptionalInt.of(metricsPort) : OptionalInt.empty();
        }

        /** The heartbeat, or a third of {@code lease} when unset. */
        public Duration heartbeatFor(Duration lease) {
            return heartbeat != null ? heartbeat : lease.dividedBy(3);
        }
    }

    /**
     * The AWS resources the Lambda function, the web app's {@code aws} profile and the GPU worker share
     * (region and endpoint are the AWS SDK's own {@code AWS_REGION} and {@code AWS_ENDPOINT_URL}).
     *
     * @param table the DynamoDB table of sessions (key {@code id}, TTL attribute {@code expiresAt})
     * @param bucket the S3 bucket of HLS objects ({@code hls/{session}/{file}})
     * @param queue the SQS job queue
     * @param queueUrl the job queue's URL when known (saves a GetQueueUrl call); unset: looked up by name
     * @param deadLetterQueue where a job lands after {@code maxReceives} failed receives
     * @param sessionTtl how long a session record lives after its last update (DynamoDB TTL)
     * @param lease how long a worker's claim on a session holds without a heartbeat
     * @param visibility how long a received job stays hidden from other workers (template.yaml's
     *     JobVisibilityTimeoutSeconds); longer than the lease ({@link #checkLeaseTiming})
     * @param maxReceives receives of one job before SQS moves it to the dead-letter queue (the redrive
     *     maxReceiveCount; the worker gives up a dead worker's job on the last one)
     */
    public record Aws(String table, String bucket, String queue, String queueUrl, String deadLetterQueue,
            Duration sessionTtl, Duration lease, Duration visibility, Integer maxReceives) {
        /** SQS refuses a visibility timeout above 12 hours. */
        public static final Duration MAX_VISIBILITY = Duration.ofHours(12);

        public Aws {
            table = textOr(table, "lipsync-sessions");
            bucket = textOr(bucket, "lipsync-streams");
            queue = textOr(queue, "lipsync-jobs");
            queueUrl = queueUrl != null && !queueUrl.isBlank() ? queueUrl.trim() : null;
            deadLetterQueue = textOr(deadLetterQueue, "lipsync-jobs-dlq");
            sessionTtl = sessionTtl != null ? sessionTtl : Duration.ofHours(24);
            lease = lease != null ? lease : Duration.ofSeconds(60);
            visibility = visibility != null ? visibility : Duration.ofSeconds(90);
            maxReceives = maxReceives != null ? maxReceives : 3;
            positive("lipsync.aws.session-ttl", sessionTtl);
            checkLeaseTiming(lease, visibility);
            if (maxReceives < 1 || maxReceives > 1000) {
                throw new IllegalArgumentException("lipsync.aws.max-receives must be 1..1000 (the SQS redrive limit),"
                        + " was " + maxReceives);
            }
        }

        /**
         * The one rule between a worker's claim on a session (the lease) and its job's visibility
         * timeout, which the worker's own settings follow too. The lease must end strictly before the
         * visibility: a job redelivered because its worker died then always finds that worker's lease
         * expired and takes the session over. With lease >= visibility it could find the dead worker's
         * lease still live, be acknowledged as held elsewhere and never run: the session would hang in
         * processing.
         *
         * @throws IllegalArgumentException naming lipsync.aws.lease and lipsync.aws.visibility
         */
        public static void checkLeaseTiming(Duration lease, Duration visibility) {
            requirePositive("lipsync.aws.lease", lease);
            requirePositive("lipsync.aws.visibility", visibility);
            if (visibility.compareTo(MAX_VISIBILITY) > 0) {
                throw new IllegalArgumentException("lipsync.aws.visibility must be at most 12 h (the SQS limit), was "
                        + text(visibility));
            }
            if (!leaseAllows(lease, visibility)) {
                throw new IllegalArgumentException("lipsync.aws.lease must be shorter than the job visibility timeout"
                        + " lipsync.aws.visibility, was " + text(lease) + " against " + text(visibility) + ": a job"
                        + " redelivered after its worker died must find that worker's lease expired");
            }
        }

        /** Whether the rule allows this pair (both positive). */
        public static boolean leaseAllows(Duration lease, Duration visibility) {
            return lease.compareTo(visibility) < 0;
        }

        /** The shortest visibility timeout in whole seconds (SQS's and the template's unit) allowed with {@code lease}. */
        public static long minimumVisibilitySeconds(Duration lease) {
            return lease.toSeconds() + 1;
        }

        private static String textOr(String value, String fallback) {
            return value != null && !value.isBlank() ? value.trim() : fallback;
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must be set");
            }
            positive(name, value);
        }

        private static String text(Duration d) {
            return d.toMillisPart() == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
