package ai.lipsync.api.aws;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** The SDK clients all use url-connection-client; a second HTTP stack would be dead weight at every cold start. */
    @Test
    void jar_holdsOnlyTheUrlConnectionHttpClient() {
        assertThat(entries).filteredOn(e -> e.startsWith("software/amazon/awssdk/http/apache")
                || e.startsWith("software/amazon/awssdk/http/nio/netty/") || e.startsWith("org/apache/hc/")
                || e.startsWith("org/apache/http/") || e.startsWith("io/netty/")).isEmpty();
        assertThat(entries).contains("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
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
                    .contains("org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration");
            assertThat(text(file, "lambda-api.properties")).contains("spring.cloud.function.definition=lipsyncApiGateway");
        }
    }

    /**
     * The jar as Lambda runs it: a JVM with only the jar (and the emulator's own class) on its
     * class path, FunctionInvoker finding LambdaApiApplication through the manifest, its settings
     * from environment variables, against moto. Proves the merged Spring metadata boots.
     */
    @Test
    void jar_bootsFromItsManifestAndAnswersApiGatewayEvents(@TempDir Path dir) throws Exception {
        try (MotoServer moto = MotoServer.start()) {
            AwsSettings settings = moto.freshSettings();
            try (AwsClients clients = AwsClients.create(settings, moto.credentials())) {
                new AwsResources(clients, settings).ensureAll();
            }
            Path start = dir.resolve("start.json");
            Files.write(start, LambdaEvents.event("start", null));
            Path unknown = dir.resolve("unknown.json");
            Files.write(unknown, LambdaEvents.event("status", "AAAAAAAAAAAAAAAAAAAAAA"));
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            String classPath = jar.toAbsolutePath() + java.io.File.pathSeparator
                    + Path.of(LambdaRuntimeEmulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ProcessBuilder builder = new ProcessBuilder(javaBin.toString(), "-cp", classPath,
                    LambdaRuntimeEmulator.class.getName(), start.toString(), unknown.toString())
                    .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(dir.resolve("answers.log").toFile());
            Map<String, String> env = builder.environment();
            env.remove("MAIN_CLASS");
            env.put("AWS_REGION", settings.region());
            env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("LIPSYNC_AWS_TABLE", settings.tableName());
            env.put("LIPSYNC_AWS_BUCKET", settings.bucketName());
            env.put("LIPSYNC_AWS_QUEUE", settings.queueName());
            env.put("LIPSYNC_AWS_DEADLETTERQUEUE", settings.deadLetterQueueName());
            env.put("LIPSYNC_AVATAR_IDS", "default");
            Process process = builder.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the Lambda JVM finishes").isTrue();
            List<String> lines = Files.readAllLines(dir.resolve("answers.log"));
            assertThat(process.exitValue()).as(String.join("\n", lines) + Files.readString(dir.resolve("stdout.log")))
                    .isZero();
            lines.stream().filter(l -> l.startsWith("COLD_START_MS")).forEach(l -> System.out.println("Lambda jar " + l));
            List<JsonNode> answers = new java.util.ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("ANSWER ")) {
                    answers.add(new ObjectMapper().readTree(line.substring("ANSWER ".length())));
                }
            }
            assertThat(answers).hasSize(2);
            assertThat(answers.get(0).get("statusCode").asInt()).isEqualTo(201);
            assertThat(answers.get(0).get("headers").get("Access-Control-Allow-Origin").asText()).isEqualTo("*");
            assertThat(new ObjectMapper().readTree(answers.get(0).get("body").asText()).get("status").asText())
                    .isEqualTo("created");
            assertThat(answers.get(1).get("statusCode").asInt()).isEqualTo(404);
            assertThat(Files.readString(dir.resolve("stdout.log"))).doesNotContain("Hello from the Lambda");
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
