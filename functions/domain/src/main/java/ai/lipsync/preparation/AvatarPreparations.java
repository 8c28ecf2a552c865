package ai.lipsync.preparation;

import java.util.Optional;

/**
 * Avatar preparation as the API offers it: start one for a video already in the video directory
 * or for an uploaded one, and ask how it goes. Preparation runs in the background. The port the
 * API calls; the lip-sync module implements it ({@code ai.lipsync.avatar.AvatarPreparationService}).
 * Bad input is a {@link ai.lipsync.session.ValidationException} whose code the API maps to a 4xx:
 * see the codes here.
 */
public interface AvatarPreparations {
    /** A name with a path, '..', or characters an avatar id may not have. */
    String INVALID_NAME = "invalid_avatar_name";
    /** No video of that name in the video directory. */
    String UNKNOWN_AVATAR = "unknown_avatar";
    /** An upload without a body. */
    String VIDEO_REQUIRED = "video_required";
    /** An upload that is no MP4/MOV/Matroska/WebM file. */
    String NOT_A_VIDEO = "not_a_video";
    /** An upload over {@link #maxUploadBytes()}. */
    String VIDEO_TOO_LARGE = "video_too_large";
    /** An upload under a name an avatar already has. */
    String AVATAR_EXISTS = "avatar_exists";
    /** Too many preparations are waiting. */
    String BUSY = "preparation_queue_full";

    /** Prepares the video {@code name} ({@code sun} or {@code sun.mp4}) of the video directory. */
    AvatarPreparationStatus prepare(String name);

    /**
     * Stores an uploaded video as avatar {@code name} (or, when null, the file name without its
     * extension) and prepares it.
     */
    AvatarPreparationStatus upload(String name, String fileName, byte[] video);

    /** Where the preparation of {@code id} stands; empty when nothing is known of it. */
    Optional<AvatarPreparationStatus> status(String id);

    long maxUploadBytes();
}
