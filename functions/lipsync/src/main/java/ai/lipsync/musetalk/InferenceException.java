package ai.lipsync.musetalk;

import ai.lipsync.session.ErrorCode;

/**
 * The lip-sync layer's one inference exception: a graph (DJL) or the landmark model (ONNX Runtime)
 * could not be loaded or run. Wraps DJL's {@code TranslateException}/{@code EngineException} once,
 * with bracketed context ({@code [graph=unet, expected=(4,50,384), actual=(4,49,384)]}). Not a
 * session exception: whoever reports a failure (the generation pipeline, the avatar preparation)
 * maps it with {@link #code()} and {@link #publicMessage()}.
 */
public class InferenceException extends RuntimeException {

    /** Why inference failed; each kind maps to one session {@link ErrorCode}. */
    public enum Kind {
        /** An input or an intermediate tensor has the wrong shape (bad graph or bad input). */
        SHAPE(ErrorCode.INFERENCE_SHAPE),
        /** libtorch could not allocate memory (host or CUDA). */
        OOM(ErrorCode.INFERENCE_OOM),
        /** A model file is missing, corrupt or unreadable. */
        MODEL_FILES(ErrorCode.INFERENCE_FAILED),
        /** Anything else the engine reported. */
        FAILED(ErrorCode.INFERENCE_FAILED);

        private final ErrorCode code;

        Kind(ErrorCode code) {
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private final Kind kind;

    public InferenceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public InferenceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The session error code this failure ends a generation (or a preparation) in. */
    public ErrorCode code() {
        return kind.code();
    }

    /**
     * A sentence naming the code, never the engine's own text: libtorch and ONNX Runtime messages
     * hold tracebacks, C++ frames and file paths that belong in the log only.
     */
    public String publicMessage() {
        String what = switch (kind) {
            case OOM -> "The lip-sync model ran out of memory";
            case SHAPE -> "The lip-sync model was given data of an unexpected shape";
            case MODEL_FILES -> "The lip-sync model files could not be loaded";
            case FAILED -> "The lip-sync model failed";
        };
        return what + " (" + kind.code().wireName() + "); the service log has the details.";
    }
}
