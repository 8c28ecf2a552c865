package ai.lipsync.api.lambda;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an application that runs the API as a Lambda function: {@link LambdaEnvironmentPostProcessor}
 * then loads {@code lambda-api.properties} before logging starts.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LambdaApiSettings {
}
