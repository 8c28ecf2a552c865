package ai.lipsync.aws.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Validates a SAM template with the two tools CloudFormation deployment depends on: cfn-lint (which
 * runs the SAM transform itself and checks every resource against the CloudFormation spec) and the
 * SAM translator (run as {@code sam package} + CloudFormation would: a region set, local CodeUris
 * replaced by S3 URIs). The transformed template is what the assertions read.
 */
final class SamTemplates {
    static final String REGION = "eu-central-1";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private SamTemplates() {
    }

    static Path projectRoot() {
        String root = System.getProperty("project.root");
        Path path = root != null ? Path.of(root) : Path.of("../..");
        return path.toAbsolutePath().normalize();
    }

    /** Informational checks included: they flag stateful resources without an explicit deletion policy. */
    static ToolRun lint(Path template) {
        return ToolRun.run(List.of("cfn-lint", "--include-checks", "I", "--", template.toString()),
                template.toAbsolutePath().getParent(), Map.of("AWS_DEFAULT_REGION", REGION), TIMEOUT);
    }

    static ToolRun transform(Path template, Map<String, String> environment) {
        return ToolRun.run(List.of("python3", transformScript().toString(), template.toString()),
                template.toAbsolutePath().getParent(), environment, TIMEOUT);
    }

    /** The transformed template as JSON; fails with the translator's own words when it refuses. */
    static JsonNode transformed(Path template) {
        ToolRun run = transform(template, Map.of("AWS_DEFAULT_REGION", REGION));
        if (!run.succeeded()) {
            throw new AssertionError("SAM translator failed:\n" + run.report());
        }
        try {
            return new ObjectMapper().readTree(run.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("SAM translator printed no JSON:\n" + run.report(), e);
        }
    }

    private static Path transformScript() {
        try {
            Path script = Path.of(SamTemplates.class.getResource("/deploy/sam_transform.py").toURI());
            if (!Files.isRegularFile(script)) {
                throw new IllegalStateException("missing " + script);
            }
            return script;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
