package ai.lipsync.session;

/** Lifecycle of one generation: created -> processing -> ready | error. */
public enum SessionStatus {
    CREATED, PROCESSING, READY, ERROR;

    /** The spelling used on the wire and in storage. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isFinal() {
        return this == READY || this == ERROR;
    }
}
