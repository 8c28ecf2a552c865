package ai.lipsync.api;

/** The spec's URLs, built in one place so answers and routes never disagree. */
public final class ApiPaths {
    public static final String START = "/api/stream/start";
    public static final String STATUS_PREFIX = "/api/stream/status/";

    private ApiPaths() {
    }

    /** {@code DELETE} here cancels the session. */
    public static String session(String sessionId) {
        return "/api/stream/" + sessionId;
    }

    public static String status(String sessionId) {
        return STATUS_PREFIX + sessionId;
    }

    public static String playlist(String sessionId) {
        return "/stream/" + sessionId + "/playlist.m3u8";
    }
}
