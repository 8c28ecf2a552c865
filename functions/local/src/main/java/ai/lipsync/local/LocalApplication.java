package ai.lipsync.local;

import ai.lipsync.api.ApiFunctionConfiguration;
import ai.lipsync.api.SettingsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * API and worker in one JVM on the embedded defaults.
 *
 * <p>Spring Cloud Function's web endpoints ({@code /{functionName}}) are switched off: they would
 * publish every function bean, the router's inner ones included, on paths the spec does not name.
 * The spec's paths are served by {@link ApiServlet} through the {@code lipsyncApi} function.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.cloud.function.web.mvc.ReactorAutoConfiguration",
        "org.springframework.cloud.function.web.flux.ReactorAutoConfiguration",
        "org.springframework.cloud.function.web.source.FunctionExporterAutoConfiguration"})
@Import({SettingsConfiguration.class, ApiFunctionConfiguration.class, LocalConfiguration.class, PipelineConfiguration.class})
public class LocalApplication {
    public static void main(String[] args) {
        SpringApplication.run(LocalApplication.class, args);
    }
}
