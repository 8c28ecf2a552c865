package ai.lipsync.session;

/**
 * A generation failed for a reason a person can read. The pipeline turns it into a session in
 * {@code error}; every layer wraps its own failures into one of these once, with the cause.
 */
public class GenerationException extends RuntimeException {
    private final ErrorCode code;

    public GenerationException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public GenerationException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * What the session (or an avatar's preparation status) tells the user: by default the message
     * itself; a layer whose messages carry native details (libtorch, ONNX Runtime) overrides it with
     * a sentence, and the details stay in the log.
     */
    public String publicMessage() {
        return getMessage();
    }
}
