package ai.lipsync.session;

/** Lifecycle of one generation: created -> processing -> ready | error, or cancelled from either of the first two. */
public enum SessionStatus {
    CREATED, PROCESSING, READY, ERROR,
    /** Stopped on request ({@code DELETE /api/stream/{id}}): the segments made so far stay, the playlist ends. */
    CANCELLED;

    /** The spelling used on the wire and in storage. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isFinal() {
        return this == READY || this == ERROR || this == CANCELLED;
    }
}
