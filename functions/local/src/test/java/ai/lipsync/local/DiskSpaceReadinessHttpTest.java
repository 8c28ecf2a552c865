package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A disk-space threshold no disk meets: readiness is DOWN (503) because of it, liveness stays UP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.health.diskspace.threshold=1000000TB"})
class DiskSpaceReadinessHttpTest extends RunningAppTest {

    @Test
    void belowTheThreshold_readinessIsDown_livenessIsUp() throws Exception {
        HttpResponse<byte[]> readiness = get("/actuator/health/readiness");
        JsonNode body = JSON.readTree(readiness.body());

        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/components/diskSpace/status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/components/diskSpace/details/free").asLong())
                .isLessThan(body.at("/components/diskSpace/details/threshold").asLong());
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
}
