package ai.lipsync.api.lambda;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Adds {@code lambda-api.properties} (lowest precedence: the function's environment variables win)
 * to applications marked {@link LambdaApiSettings}. It runs before logging is configured, which
 * an {@code @PropertySource} would not: the adapter logs every raw event, user text included, at
 * INFO unless its level is lowered this early. Other applications (the web app has this module on
 * its classpath) are left alone.
 */
public final class LambdaEnvironmentPostProcessor implements EnvironmentPostProcessor {
    static final String RESOURCE = "lambda-api.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean lambda = application.getAllSources().stream()
                .anyMatch(source -> source instanceof Class<?> type && type.isAnnotationPresent(LambdaApiSettings.class));
        if (!lambda) {
            return;
        }
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource(RESOURCE, new ClassPathResource(RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("The Lambda jar lacks " + RESOURCE, e);
        }
    }
}
