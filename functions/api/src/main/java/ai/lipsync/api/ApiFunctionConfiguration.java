package ai.lipsync.api;

import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.SessionService;
import ai.lipsync.storage.StreamStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * The API as Spring Cloud Function beans. Each is a plain {@code Function<ApiRequest, ApiResponse>};
 * {@code lipsyncApi} routes the spec's paths to the others and is the one an HTTP adapter (the
 * local servlet, or the AWS adapter with {@code spring.cloud.function.definition=lipsyncApi}) calls.
 * Needs a {@link SessionService} and a {@link StreamStore} from the application, and optionally
 * {@link SegmentLinks} (relative, as stored, when there are none).
 */
@Configuration(proxyBeanMethods = false)
public class ApiFunctionConfiguration {

    @Bean
    public ApiJson apiJson() {
        return ApiJson.create();
    }

    @Bean
    public StartStreamFunction startStream(SessionService sessions, ApiJson apiJson) {
        return new StartStreamFunction(sessions, apiJson);
    }

    @Bean
    public StreamStatusFunction streamStatus(SessionService sessions, ApiJson apiJson) {
        return new StreamStatusFunction(sessions, apiJson);
    }

    @Bean
    public CancelStreamFunction cancelStream(SessionService sessions, ApiJson apiJson) {
        return new CancelStreamFunction(sessions, apiJson);
    }

    @Bean
    public StreamFileFunction streamFile(SessionService sessions, StreamStore streamStore, ApiJson apiJson) {
        return new StreamFileFunction(sessions, streamStore, apiJson);
    }

    /** Proxied playlists where the application provides {@link SegmentLinks}; the stored one otherwise. */
    @Bean
    public StreamPlaylistFunction streamPlaylist(StreamFileFunction streamFile, ObjectProvider<SegmentLinks> segmentLinks) {
        return new StreamPlaylistFunction(streamFile, segmentLinks.getIfAvailable(SegmentLinks::relative));
    }

    /** Answers 503 where the application offers no {@link AvatarPreparations} (no MuseTalk models). */
    @Bean
    public CreateAvatarFunction createAvatar(ObjectProvider<AvatarPreparations> preparations, ApiJson apiJson) {
        return new CreateAvatarFunction(Optional.ofNullable(preparations.getIfAvailable()), apiJson);
    }

    @Bean
    public AvatarStatusFunction avatarStatus(ObjectProvider<AvatarPreparations> preparations, ApiJson apiJson) {
        return new AvatarStatusFunction(Optional.ofNullable(preparations.getIfAvailable()), apiJson);
    }

    @Bean
    public ApiRouter lipsyncApi(StartStreamFunction startStream, StreamStatusFunction streamStatus,
                                CancelStreamFunction cancelStream, StreamPlaylistFunction streamPlaylist, StreamFileFunction streamFile,
                                CreateAvatarFunction createAvatar, AvatarStatusFunction avatarStatus, ApiJson apiJson) {
        return new ApiRouter(startStream, streamStatus, cancelStream, streamPlaylist, streamFile, createAvatar,
                avatarStatus, apiJson);
    }
}
