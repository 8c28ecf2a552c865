package ai.lipsync.api.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployable Lambda jar ({@code target/api-<version>-aws.jar}, built by the shade plugin in
 * {@code package}; {@code mvn verify} runs this): light, and wired the way FunctionInvoker needs.
 */
class LambdaJarIT {
    /** Lambda takes 50 MB zipped by direct upload; the jar stays well under it. */
    private static final long MAX_BYTES = 45L * 1024 * 1024;
    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        jar = Path.of(System.getProperty("lambda.jar", "target/api-0.1.0-SNAPSHOT-aws.jar"));
        assertThat(jar).as("the shaded Lambda jar (mvn package builds it)").exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void jar_holdsNoJavaCvDjlOrOnnxClasses() {
        assertThat(entries).filteredOn(e -> e.startsWith("org/bytedeco/") || e.startsWith("ai/djl/")
                || e.startsWith("ai/onnxruntime/") || e.startsWith("org/opencv/")).isEmpty();
    }

    @Test
    void jar_holdsNoNativeLibraries() {
        assertThat(entries).filteredOn(e -> {
            String n = e.toLowerCase(Locale.ROOT);
            return n.endsWith(".so") || n.contains(".so.") || n.endsWith(".dll") || n.endsWith(".dylib")
                    || n.endsWith(".jnilib");
        }).isEmpty();
    }

    @Test
    void jar_isSmallEnoughForADirectUpload() throws IOException {
        long size = Files.size(jar);
        System.out.printf("Lambda jar %s: %d bytes (%.1f MiB)%n", jar.getFileName(), size, size / 1024.0 / 1024.0);
        assertThat(size).isLessThan(MAX_BYTES);
    }

    @Test
    void jar_namesTheLambdaApplicationAsStartClass() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Start-Class"))
                    .isEqualTo("ai.lipsync.api.lambda.LambdaApiApplication");
            assertThat(file.getEntry("ai/lipsync/api/lambda/LambdaApiApplication.class")).isNotNull();
            assertThat(file.getEntry("org/springframework/cloud/function/adapter/aws/FunctionInvoker.class")).isNotNull();
        }
    }

    @Test
    void jar_mergesTheSpringMetadataOfEveryDependency() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String factories = text(file, "META-INF/spring.factories");
            String imports = text(file, "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
            assertThat(factories).contains("ai.lipsync.api.lambda.LambdaEnvironmentPostProcessor")
                    .contains("org.springframework.cloud.function.adapter.aws.CustomRuntimeInitializer")
                    .contains("org.springframework.boot.env.PropertiesPropertySourceLoader");
            assertThat(imports).contains("org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration")
                    .contains("org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration")
                    .contains("org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration");
            assertThat(text(file, "lambda-api.properties")).contains("spring.cloud.function.definition=lipsyncApiGateway");
        }
    }

    private static String text(JarFile file, String name) throws IOException {
        ZipEntry entry = file.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (InputStream in = file.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
