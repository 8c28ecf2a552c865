package ai.lipsync.api;

import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.ValidationException;

import java.util.Optional;
import java.util.function.Function;

/** {@code GET /api/avatars/{id}}: where an avatar's preparation stands. */
public final class AvatarStatusFunction implements Function<ApiRequest, ApiResponse> {
    private final Optional<AvatarPreparations> preparations;
    private final ApiJson json;

    public AvatarStatusFunction(Optional<AvatarPreparations> preparations, ApiJson json) {
        this.preparations = preparations;
        this.json = json;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        if (preparations.isEmpty()) {
            return AvatarAnswers.unavailable(json);
        }
        String id = request.pathParameter("id");
        try {
            return preparations.get().status(id)
                    .map(s -> json.ok(200, AvatarAnswers.body(s)))
                    .orElseGet(() -> json.error(404, "avatar_not_found", "No preparation of an avatar '" + id
                            + "' is known; start one with POST " + AvatarPaths.CREATE + "."));
        } catch (ValidationException e) {
            return AvatarAnswers.refused(json, e);
        }
    }
}
