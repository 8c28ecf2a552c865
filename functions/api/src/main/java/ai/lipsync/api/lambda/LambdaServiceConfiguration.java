package ai.lipsync.api.lambda;

import ai.lipsync.api.ApiRouter;
import ai.lipsync.api.aws.ApiGatewayHttpFunction;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.SessionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.Set;

/**
 * The synchronous half of the service on Lambda: the session service over whatever session store
 * and job queue the context holds (DynamoDB and SQS in the deployed function), and the API Gateway
 * adapter function in front of {@code lipsyncApi}.
 */
@Configuration(proxyBeanMethods = false)
public class LambdaServiceConfiguration {

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public SessionService sessionService(SessionStore sessionStore, JobQueue jobQueue, LipsyncSettings props,
                                         Clock clock) {
        Set<String> avatars = props.avatar().checkedIds();
        return new SessionService(sessionStore, jobQueue, SessionIds.create(), avatars::contains,
                props.avatar().defaultId(), props.api().maxTextLength(), clock);
    }

    /** The Lambda handler's function: {@code spring.cloud.function.definition=lipsyncApiGateway}. */
    @Bean
    public ApiGatewayHttpFunction lipsyncApiGateway(ApiRouter lipsyncApi) {
        return new ApiGatewayHttpFunction(lipsyncApi);
    }
}
