package ai.lipsync.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationListener;

import java.util.List;

/**
 * The {@code generation} health component, part of the readiness probe (application.yml): the
 * engine and the pipeline are built before the server listens, and this runs the
 * {@link WarmUpStep}s on a background thread once the app has started. Until they have run it is
 * OUT_OF_SERVICE (naming the step under way), DOWN when one failed, UP after the last. Liveness
 * never looks at it: a slow warm-up is no reason to restart the process.
 */
public final class GenerationReadiness implements HealthIndicator, ApplicationListener<ApplicationReadyEvent> {
    private static final Logger log = LoggerFactory.getLogger(GenerationReadiness.class);
    private final List<WarmUpStep> steps;
    private volatile Health health = Health.outOfService().withDetail("waiting_for", "startup").build();

    public GenerationReadiness(List<WarmUpStep> steps) {
        this.steps = List.copyOf(steps);
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread warmUp = new Thread(this::warmUp, "generation-warmup");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void warmUp() {
        long start = System.nanoTime();
        for (WarmUpStep step : steps) {
            health = Health.outOfService().withDetail("waiting_for", step.name()).build();
            long stepStart = System.nanoTime();
            try {
                step.work().run();
            } catch (RuntimeException | Error e) {
                health = Health.down().withDetail("failed", step.name())
                        .withDetail("error", String.valueOf(e.getMessage())).build();
                log.error("warm-up step '{}' failed: readiness stays DOWN", step.name(), e);
                return;
            }
            log.info("warm-up step '{}' done in {} ms", step.name(), (System.nanoTime() - stepStart) / 1_000_000);
        }
        health = Health.up().withDetail("warmed_up", steps.stream().map(WarmUpStep::name).toList()).build();
        log.info("ready for traffic after {} ms of warm-up", (System.nanoTime() - start) / 1_000_000);
    }
}
