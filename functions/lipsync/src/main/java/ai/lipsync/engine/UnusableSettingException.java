package ai.lipsync.engine;

/**
 * A setting every session would fail with, found at startup: the start stops naming it (as
 * {@code lipsync.*} for the web app and {@code LIPSYNC_*} for the worker, which read the same keys).
 */
public final class UnusableSettingException extends IllegalArgumentException {

    /** The settings the engine checks, under both of their names. */
    public enum Setting {
        VIDEO_FPS("lipsync.video.fps", "LIPSYNC_VIDEO_FPS"),
        MODELS_BATCH_SIZE("lipsync.models.batch-size", "LIPSYNC_MODELS_BATCHSIZE");

        private final String key;
        private final String environment;

        Setting(String key, String environment) {
            this.key = key;
            this.environment = environment;
        }

        /** {@code lipsync.video.fps} */
        public String key() {
            return key;
        }

        /** {@code LIPSYNC_VIDEO_FPS} */
        public String environment() {
            return environment;
        }
    }

    private final Setting setting;

    /** @param problem what is wrong with the value and what works, one or two sentences */
    public UnusableSettingException(Setting setting, Object value, String problem) {
        this(setting, value, problem, null);
    }

    public UnusableSettingException(Setting setting, Object value, String problem, Throwable cause) {
        super(setting.key() + " (" + setting.environment() + ") = " + value + " cannot work: " + problem, cause);
        this.setting = setting;
    }

    public Setting setting() {
        return setting;
    }
}
