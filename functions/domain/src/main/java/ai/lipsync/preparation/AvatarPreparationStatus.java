package ai.lipsync.preparation;

/**
 * One avatar's preparation as the API reports it.
 *
 * @param status {@code preparing}, {@code ready} or {@code error}
 * @param progress 0..100
 * @param stage the preparation stage ({@code decode}, {@code faces}, ... as the preparation names them)
 * @param frames the avatar's frame count once known, else 0
 * @param error a sentence for a person when {@code status} is {@code error}, else null
 * @param errorCode the machine code of the error ({@code avatar_invalid}, ...), else null
 */
public record AvatarPreparationStatus(String avatarId, String status, int progress, String stage, int frames,
                                      String error, String errorCode) {
    public static final String PREPARING = "preparing";
    public static final String READY = "ready";
    public static final String ERROR = "error";

    public static AvatarPreparationStatus queued(String id) {
        return new AvatarPreparationStatus(id, PREPARING, 0, "queued", 0, null, null);
    }

    /** Under way: {@code percent} stays below 100 until the avatar is ready. */
    public static AvatarPreparationStatus preparing(String id, int percent, String stage, int frames) {
        return new AvatarPreparationStatus(id, PREPARING, Math.min(99, percent), stage, frames, null, null);
    }

    public static AvatarPreparationStatus ready(String id, int frames) {
        return new AvatarPreparationStatus(id, READY, 100, "done", frames, null, null);
    }

    public static AvatarPreparationStatus failed(String id, String message, String code) {
        return new AvatarPreparationStatus(id, ERROR, 0, "failed", 0, message, code);
    }
}
