package ai.lipsync.architecture;

import ai.lipsync.session.GenerationException;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module graph as rules on the production classes of every module (this module's test
 * classpath holds them all): no package cycles, a domain that needs nothing but the JDK, layers
 * that point inward, and each package in one module. Maven already refuses an import the poms do
 * not allow; these rules also hold inside a module and name the offending class.
 */
class ModuleArchitectureTest {
    /** The packages of each module, as the README's Layout lists them. */
    private static final String[] DOMAIN = {"ai.lipsync.session..", "ai.lipsync.storage..", "ai.lipsync.preparation.."};
    private static final String[] SPEECH = {"ai.lipsync.tts.."};
    private static final String[] MEDIA = {"ai.lipsync.audio..", "ai.lipsync.compose..", "ai.lipsync.hls.."};
    private static final String[] LIPSYNC = {"ai.lipsync.engine..", "ai.lipsync.musetalk..", "ai.lipsync.avatar.."};
    private static final String[] GENERATION = {"ai.lipsync.pipeline.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Under `mvn verify` the shared fixtures come as *-tests.jar, which the option above does not know.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("ai.lipsync");
    }

    @Test
    void packages_ofEveryModule_haveNoCycles() {
        slices().matching("ai.lipsync.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void domain_dependsOnNothingButItselfTheJdkAndSlf4j() {
        classes().that().resideInAnyPackage(DOMAIN)
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        concat(DOMAIN, "java..", "org.slf4j.."))
                .because("the Lambda API is built on the domain alone: no media, inference, generation, AWS or Spring")
                .check(production);
    }

    @Test
    void layers_pointInward_andTheLambdaApiReachesOnlyTheDomainAndTheAwsAdapters() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Domain").definedBy(DOMAIN)
                .layer("Speech").definedBy(SPEECH)
                .layer("Media").definedBy(MEDIA)
                .layer("LipSync").definedBy(LIPSYNC)
                .layer("Generation").definedBy(GENERATION)
                .layer("AwsAdapters").definedBy("ai.lipsync.aws..")
                .layer("Api").definedBy("ai.lipsync.api..")
                .layer("Worker").definedBy("ai.lipsync.worker..")
                .layer("Local").definedBy("ai.lipsync.local..")

                .whereLayer("Local").mayNotBeAccessedByAnyLayer()
                .whereLayer("Worker").mayNotBeAccessedByAnyLayer()
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Local")
                .whereLayer("Generation").mayOnlyBeAccessedByLayers("Worker", "Local")
                .whereLayer("LipSync").mayOnlyBeAccessedByLayers("Generation", "Worker", "Local")
                .whereLayer("Speech").mayOnlyBeAccessedByLayers("Generation", "Worker", "Local")
                .whereLayer("Media").mayOnlyBeAccessedByLayers("LipSync", "Generation", "Worker", "Local")
                .whereLayer("AwsAdapters").mayOnlyBeAccessedByLayers("Api", "Worker", "Local")

                .whereLayer("Api").mayOnlyAccessLayers("Domain", "AwsAdapters")
                .whereLayer("AwsAdapters").mayOnlyAccessLayers("Domain")
                .whereLayer("Speech").mayOnlyAccessLayers("Domain")
                .whereLayer("Media").mayOnlyAccessLayers("Domain")
                .whereLayer("LipSync").mayOnlyAccessLayers("Domain", "Media")
                .check(production);
    }

    /** An inference failure is the lip-sync layer's own type; the pipeline maps it to a session code. */
    @Test
    void lipSyncExceptions_areNotSessionExceptions() {
        noClasses().that().resideInAnyPackage(LIPSYNC)
                .should().beAssignableTo(GenerationException.class)
                .check(production);
    }

    /**
     * A package split over two modules would blur which module holds what (and is what a file added
     * under a removed module's path, then moved by hand, most easily becomes).
     */
    @Test
    void everyPackage_livesInOneModule() {
        Map<String, Set<String>> modulesByPackage = new TreeMap<>();
        for (JavaClass c : production) {
            String uri = c.getSource().orElseThrow().getUri().toString();
            String module = uri.substring(0, uri.indexOf("/ai/lipsync/"));
            modulesByPackage.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(module);
        }

        assertThat(modulesByPackage).as("the classpath holds every module's packages")
                .containsKeys("ai.lipsync.session", "ai.lipsync.tts", "ai.lipsync.hls", "ai.lipsync.musetalk",
                        "ai.lipsync.pipeline", "ai.lipsync.aws", "ai.lipsync.api", "ai.lipsync.worker", "ai.lipsync.local");
        assertThat(modulesByPackage).allSatisfy((pkg, modules) ->
                assertThat(modules).as("the modules that hold package " + pkg).hasSize(1));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
