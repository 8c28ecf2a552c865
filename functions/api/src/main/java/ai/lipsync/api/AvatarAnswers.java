package ai.lipsync.api;

import ai.lipsync.preparation.AvatarPreparationStatus;
import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.ValidationException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The avatar functions' shared answers: a preparation's status as JSON, a refusal as its 4xx. */
final class AvatarAnswers {
    private AvatarAnswers() {
    }

    static Map<String, Object> body(AvatarPreparationStatus s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("avatar_id", s.avatarId());
        body.put("status", s.status());
        body.put("progress", s.progress());
        body.put("stage", s.stage());
        body.put("frames", s.frames());
        body.put("error", s.error());
        body.put("error_code", s.errorCode());
        body.put("status_url", AvatarPaths.status(s.avatarId()));
        return body;
    }

    static ApiResponse refused(ApiJson json, ValidationException e) {
        int status = switch (e.code()) {
            case AvatarPreparations.UNKNOWN_AVATAR -> 404;
            case AvatarPreparations.NOT_A_VIDEO -> 415;
            case AvatarPreparations.VIDEO_TOO_LARGE -> 413;
            case AvatarPreparations.AVATAR_EXISTS -> 409;
            case AvatarPreparations.BUSY -> 429;
            default -> 400;
        };
        ApiResponse r = json.error(status, e.code(), e.getMessage());
        return status == 429 ? r.withHeader("Retry-After", "60") : r;
    }

    static ApiResponse unavailable(ApiJson json) {
        return json.error(503, "avatar_preparation_unavailable", "Avatar preparation needs the MuseTalk models, "
                + "which this deployment does not have; see the README's model setup.");
    }
}
