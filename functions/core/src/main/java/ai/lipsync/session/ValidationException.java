package ai.lipsync.session;

/**
 * A request was refused before anything started: the caller's input is wrong, and the message says
 * how. The API turns it into a 4xx with {@code {"error": code, "message": message}}.
 */
public class ValidationException extends RuntimeException {
    public static final String TEXT_REQUIRED = "text_required";
    public static final String TEXT_TOO_LONG = "text_too_long";
    /** A control character or an unpaired surrogate in the text. */
    public static final String INVALID_TEXT = "invalid_text";
    public static final String LANG_REQUIRED = "lang_required";
    public static final String UNSUPPORTED_LANG = "unsupported_lang";
    public static final String INVALID_AVATAR = "invalid_avatar";
    public static final String UNKNOWN_AVATAR = "unknown_avatar";
    public static final String INVALID_SESSION_ID = "invalid_session_id";

    private final String code;

    public ValidationException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Machine-readable reason, snake_case, stable across versions. */
    public String code() {
        return code;
    }
}
