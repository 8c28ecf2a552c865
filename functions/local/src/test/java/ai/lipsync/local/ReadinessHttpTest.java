package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness over HTTP with a last warm-up step that waits for the test: OUT_OF_SERVICE (503) while
 * it runs, naming it, with liveness UP throughout; UP (200) once it is done. The actuator's routes
 * answer GET and refuse other methods with the API's JSON 405.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadinessHttpTest extends RunningAppTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Gate {
        @Bean
        CountDownLatch warmUpGate() {
            return new CountDownLatch(1);
        }

        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        WarmUpStep gatedWarmUp(CountDownLatch warmUpGate) {
            return new WarmUpStep("test gate", () -> {
                try {
                    if (!warmUpGate.await(5, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Autowired
    CountDownLatch warmUpGate;

    @Test
    void readiness_isOutOfServiceUntilTheWarmUpEnds_andLivenessIsUpThroughout() throws Exception {
        JsonNode waiting = awaitReadiness("test gate");
        assertThat(waiting.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(get("/actuator/health/liveness").body()).get("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        warmUpGate.countDown();

        long deadline = System.nanoTime() + 60_000_000_000L;
        HttpResponse<byte[]> r;
        do {
            Thread.sleep(50);
            r = get("/actuator/health/readiness");
        } while (r.statusCode() != 200 && System.nanoTime() < deadline);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode ready = JSON.readTree(r.body());
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(ready.at("/components/generation/details/warmed_up").toString())
                .contains("encoder probe", "default avatar", "test gate");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void actuatorRoutes_answerGet_andOtherMethodsWithTheJson405() throws Exception {
        HttpResponse<byte[]> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(new String(scrape.body())).contains("# TYPE lipsync_queue_depth gauge");
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            for (String path : new String[] {"/actuator/health", "/actuator/prometheus"}) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                String what = method + " " + path + ": " + new String(r.body());
                assertThat(r.statusCode()).as(what).isEqualTo(405);
                assertThat(r.headers().firstValue("content-type").orElse("")).as(what).startsWith("application/json");
                assertThat(JSON.readTree(r.body()).get("error").asText()).as(what).isEqualTo("method_not_allowed");
                assertThat(r.headers().firstValue("allow").orElse("")).as(what).contains("GET");
            }
        }
    }

    /** Polls until readiness names {@code step} as the one under way (the steps before it take a moment). */
    private JsonNode awaitReadiness(String step) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode body;
        do {
            body = JSON.readTree(get("/actuator/health/readiness").body());
            if (step.equals(body.at("/components/generation/details/waiting_for").asText())) {
                return body;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return body;
    }
}
