package ai.lipsync.api;

/** The avatar URLs, built in one place. */
public final class AvatarPaths {
    public static final String CREATE = "/api/avatars";

    private AvatarPaths() {
    }

    public static String status(String avatarId) {
        return CREATE + "/" + avatarId;
    }
}
