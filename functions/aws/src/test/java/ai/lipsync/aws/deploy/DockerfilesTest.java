package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's container files cannot be built here (no Docker), so what can be checked without
 * Docker is checked: every path they copy exists in the build context (and is not .dockerignored)
 * or is what their Maven stage builds, and the Maven reactor they build is complete in the context.
 */
class DockerfilesTest {
    private static final Pattern ARTIFACT_ID = Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL);
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private final Path root = SamTemplates.projectRoot();

    @ParameterizedTest
    @ValueSource(strings = {"container/Dockerfile", "container/Dockerfile.cpu"})
    void dockerfile_copiesOnlyPathsThatExistOrThatItsMavenStageBuilds(String name) throws IOException {
        Path dockerfile = root.resolve(name);

        assertThat(Dockerfiles.missingSources(dockerfile, root, Set.of(workerJar()))).isEmpty();
        assertThat(Dockerfiles.copies(dockerfile)).anySatisfy(copy -> {
            assertThat(copy.from()).isEqualTo(Dockerfiles.MAVEN_STAGE);
            assertThat(copy.sources()).containsExactly("/src/" + workerJar());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"container/Dockerfile", "container/Dockerfile.cpu"})
    void dockerfile_buildsTheWorkerModuleWithMavenAndRunsItsJar(String name) {
        List<Dockerfiles.Instruction> instructions = Dockerfiles.instructions(root.resolve(name));

        assertThat(instructions).anySatisfy(run -> {
            assertThat(run.stage()).isEqualTo(Dockerfiles.MAVEN_STAGE);
            assertThat(run.keyword()).isEqualTo("RUN");
            assertThat(run.arguments()).contains("mvn").contains("-pl functions/worker -am").contains("package");
        });
        assertThat(instructions).anySatisfy(entry -> {
            assertThat(entry.keyword()).isEqualTo("ENTRYPOINT");
            assertThat(entry.arguments()).contains("\"-jar\", \"/app/worker.jar\"").contains("-Dai.djl.offline=true");
        });
    }

    @Test
    void gpuDockerfile_pointsDjlAtTheLibtorchVersionOfThePom() throws IOException {
        String dockerfile = Files.readString(root.resolve("container/Dockerfile"));
        Matcher libtorch = Pattern.compile("<libtorch.version>([^<]+)</libtorch.version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(libtorch.find()).isTrue();

        assertThat(dockerfile).contains("ARG PYTORCH_VERSION=" + libtorch.group(1))
                .contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib").contains("PYTORCH_FLAVOR=${PYTORCH_FLAVOR}");
        // The flavor must be one whose JNI library the pytorch-jni jar of the pom carries.
        assertThat(dockerfile).contains("ARG PYTORCH_FLAVOR=cu128");
    }

    @Test
    void workerPom_repackagesAnExecutableJarUnderTheNameTheDockerfilesCopy() throws IOException {
        String pom = Files.readString(root.resolve("functions/worker/pom.xml"));

        assertThat(pom).contains("<artifactId>spring-boot-maven-plugin</artifactId>").contains("<goal>repackage</goal>");
        assertThat(workerJar()).isEqualTo("functions/worker/target/worker-0.1.0-SNAPSHOT.jar");
    }

    @Test
    void buildContext_holdsEveryModuleOfTheMavenReactor() throws IOException {
        List<String> problems = new ArrayList<>();
        var ignored = Dockerfiles.dockerignore(root);
        Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (modules.find()) {
            String pom = modules.group(1) + "/pom.xml";
            if (!Files.exists(root.resolve(pom)) || Dockerfiles.isIgnored(ignored, pom)) {
                problems.add(pom);
            }
        }
        for (String source : List.of("pom.xml", "functions/worker/src", "functions/generation/src", "functions/lipsync/src",
                "functions/media/src", "functions/speech/src", "functions/domain/src", "functions/aws/src")) {
            if (Dockerfiles.isIgnored(ignored, source)) {
                problems.add(source);
            }
        }

        assertThat(problems).as("sources the Maven stage needs but the build context lacks").isEmpty();
        assertThat(Dockerfiles.isIgnored(ignored, "functions/worker/target/worker-0.1.0-SNAPSHOT.jar")).isTrue();
        assertThat(Dockerfiles.isIgnored(ignored, "models/musetalk15/unet.pt")).isTrue();
    }

    @Test
    void missingSources_ofACopyOfAnAbsentOrIgnoredPathOrAnUnbuiltJar_namesEach(@TempDir Path context) throws IOException {
        Files.createDirectories(context.resolve("functions/worker"));
        Files.writeString(context.resolve("pom.xml"), "<project/>");
        Files.createDirectories(context.resolve("models/musetalk15"));
        Files.writeString(context.resolve(".dockerignore"), "**/target\nmodels/musetalk15\n");
        Path dockerfile = Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                "FROM maven AS build",
                "WORKDIR /src",
                "COPY pom.xml functions/ /src/",
                "COPY no-such-dir /src/x",
                "RUN mvn package",
                "FROM runtime AS worker",
                "COPY models/musetalk15 /models/",
                "COPY --from=build /src/functions/worker/target/other.jar \\",
                "     /app/worker.jar",
                "COPY --from=build /elsewhere/app.jar /app/",
                ""));

        List<String> problems = Dockerfiles.missingSources(dockerfile, context, Set.of("functions/worker/target/worker.jar"));

        assertThat(problems).containsExactly(
                "COPY no-such-dir: no such path in the build context",
                "COPY models/musetalk15: excluded by .dockerignore",
                "COPY --from=build /src/functions/worker/target/other.jar: neither produced by the Maven build "
                        + "[functions/worker/target/worker.jar] nor in the repository",
                "COPY --from=build /elsewhere/app.jar: outside the build's /src");
    }

    /** The jar Maven's package phase leaves in functions/worker/target: artifactId-version.jar. */
    private String workerJar() throws IOException {
        String pom = Files.readString(root.resolve("functions/worker/pom.xml"));
        Matcher artifactId = ARTIFACT_ID.matcher(pom);
        Matcher version = VERSION.matcher(pom);
        assertThat(artifactId.find() && version.find()).as("artifactId and parent version in the worker pom").isTrue();
        return "functions/worker/target/" + artifactId.group(1) + "-" + version.group(1) + ".jar";
    }
}
