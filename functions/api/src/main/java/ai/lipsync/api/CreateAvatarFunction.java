package ai.lipsync.api;

import ai.lipsync.preparation.AvatarPreparationStatus;
import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /api/avatars}: prepares an avatar for MuseTalk in the background and answers 202
 * with where to follow it. The body is JSON {@code {"name": "<video in data/video/>"}}, a
 * {@code multipart/form-data} upload (file field {@code video}, optional text field {@code name}),
 * or a raw {@code video/*} body named by the {@code X-Avatar-Name} header.
 */
public final class CreateAvatarFunction implements Function<ApiRequest, ApiResponse> {
    /** Room for the multipart framing around the video. */
    private static final int FORM_OVERHEAD = 64 * 1024;
    private final Optional<AvatarPreparations> preparations;
    private final ApiJson json;

    /** @param preparations empty where this deployment cannot prepare avatars (answers 503) */
    public CreateAvatarFunction(Optional<AvatarPreparations> preparations, ApiJson json) {
        this.preparations = preparations;
        this.json = json;
    }

    /** The largest body this function reads. */
    public int maxBodyBytes() {
        return preparations.map(p -> (int) Math.min(Integer.MAX_VALUE - FORM_OVERHEAD - 1, p.maxUploadBytes())
                + FORM_OVERHEAD).orElse(0);
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        if (preparations.isEmpty()) {
            return AvatarAnswers.unavailable(json);
        }
        AvatarPreparations prep = preparations.get();
        if (request.body().length > maxBodyBytes()) {
            return json.error(413, AvatarPreparations.VIDEO_TOO_LARGE, "The request body is larger than "
                    + maxBodyBytes() + " bytes; avatar videos may have at most " + prep.maxUploadBytes() + " bytes.");
        }
        String type = request.header("content-type").orElse("").toLowerCase(Locale.ROOT).trim();
        try {
            AvatarPreparationStatus started;
            if (type.startsWith("application/json")) {
                JsonNode body = json.object(request.body()).orElse(null);
                if (body == null || (body.has("name") && !body.get("name").isTextual())) {
                    return json.error(400, "invalid_json", "The body must be a JSON object such as "
                            + "{\"name\": \"anna.mp4\"} naming a video in data/video/.");
                }
                started = prep.prepare(body.path("name").asText(null));
            } else if (type.startsWith("multipart/form-data")) {
                MultipartForm form;
                try {
                    form = MultipartForm.parse(request.header("content-type").orElse(""), request.body());
                } catch (IllegalArgumentException e) {
                    return json.error(400, "invalid_multipart", e.getMessage());
                }
                Optional<MultipartForm.Part> video = form.part("video");
                String name = form.part("name").map(MultipartForm.Part::text).orElse(null);
                if (video.isEmpty()) {
                    return json.error(400, AvatarPreparations.VIDEO_REQUIRED, "The form has no 'video' file field; "
                            + "send the video as -F video=@anna.mp4 (and optionally -F name=anna).");
                }
                started = prep.upload(name, video.get().fileName(), video.get().data());
            } else if (type.startsWith("video/") || type.startsWith("application/octet-stream")) {
                started = prep.upload(request.header("x-avatar-name").orElse(null), null, request.body());
            } else {
                return json.error(415, "unsupported_media_type", "Send JSON {\"name\": ...}, a multipart/form-data "
                        + "upload with a 'video' file, or a video/* body with an X-Avatar-Name header.");
            }
            return json.ok(202, AvatarAnswers.body(started)).withHeader("Location", AvatarPaths.status(started.avatarId()));
        } catch (ValidationException e) {
            return AvatarAnswers.refused(json, e);
        }
    }
}
