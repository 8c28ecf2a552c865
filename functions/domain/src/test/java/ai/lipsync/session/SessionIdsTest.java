package ai.lipsync.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionIdsTest {

    /**
     * What makes ids snapshot-safe: nothing random is fixed when the object is made (a SnapStart
     * snapshot is taken after initialisation), each id reads its bits when it is made.
     */
    @Test
    void next_readsTheBitsOfEachIdWhenItIsMade_notWhenCreated(@TempDir Path dir) throws IOException {
        Path device = dir.resolve("random");
        SessionIds ids = SessionIds.fromDevice(device);
        byte[] first = filled(7);
        byte[] second = filled(42);

        Files.write(device, first);
        String a = ids.next();
        Files.write(device, second);
        String b = ids.next();

        assertThat(a).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(first));
        assertThat(b).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(second));
    }

    @Test
    void next_fromADeviceGivingTooFewBytes_failsNamingIt(@TempDir Path dir) throws IOException {
        Path device = dir.resolve("short");
        Files.write(device, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SessionIds.fromDevice(device).next())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(device.toString()).hasMessageContaining("3 of 16");
    }

    @Test
    void next_fromAMissingDevice_failsNamingIt(@TempDir Path dir) {
        Path device = dir.resolve("missing");

        assertThatThrownBy(() -> SessionIds.fromDevice(device).next())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(device.toString());
    }

    @Test
    void create_makesDistinctWellFormedIds() {
        assertDistinctAndWellFormed(SessionIds.create());
    }

    @Test
    void fromFreshSecureRandom_makesDistinctWellFormedIds() {
        assertDistinctAndWellFormed(SessionIds.fromFreshSecureRandom());
    }

    @Test
    void isWellFormed_acceptsOnly22UrlSafeCharacters() {
        assertThat(SessionIds.isWellFormed("AAAAAAAAAAAAAAAAAAAA-_")).isTrue();
        assertThat(SessionIds.isWellFormed("AAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(SessionIds.isWellFormed("AAAAAAAAAAAAAAAAAAAA/+")).isFalse();
        assertThat(SessionIds.isWellFormed(null)).isFalse();
    }

    private static void assertDistinctAndWellFormed(SessionIds ids) {
        Set<String> made = new HashSet<>();
        IntStream.range(0, 1000).forEach(i -> made.add(ids.next()));
        assertThat(made).hasSize(1000).allMatch(SessionIds::isWellFormed);
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
