package ai.lipsync.local;

/** A tool the configuration needs is not installed; the message says what to install. */
public class MissingPrerequisiteException extends RuntimeException {
    private final String action;

    public MissingPrerequisiteException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
