package ai.lipsync.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Unguessable session ids: 128 random bits, URL-safe base64 without padding (22 characters).
 *
 * <p>The bits of each id are drawn when the id is made, from the operating system's generator
 * ({@code /dev/urandom}); this object holds no random state. A generator seeded at start-up would be
 * copied into a Lambda SnapStart snapshot, and every execution environment restored from it would
 * then hand out the same ids ("Handling uniqueness with Lambda SnapStart": unique content must be
 * made after initialisation). Where {@code /dev/urandom} is missing (not a Lambda runtime), each
 * id comes from a fresh {@link SecureRandom}.
 */
public final class SessionIds {
    static final Path URANDOM = Path.of("/dev/urandom");
    private static final int BYTES = 16;
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final Supplier<byte[]> source;

    /** @param source 16 new random bytes per call */
    SessionIds(Supplier<byte[]> source) {
        this.source = source;
    }

    /** Ids from {@code /dev/urandom}, or from a fresh {@link SecureRandom} each where it is missing. */
    public static SessionIds create() {
        return Files.isReadable(URANDOM) ? fromDevice(URANDOM) : fromFreshSecureRandom();
    }

    /** Each id read from {@code device} when it is made (a random device; tests give a file). */
    static SessionIds fromDevice(Path device) {
        Objects.requireNonNull(device, "device");
        return new SessionIds(() -> read(device));
    }

    /** Each id from a {@link SecureRandom} made for it. */
    static SessionIds fromFreshSecureRandom() {
        return new SessionIds(() -> {
            byte[] bytes = new byte[BYTES];
            new SecureRandom().nextBytes(bytes);
            return bytes;
        });
    }

    public String next() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(source.get());
    }

    /** True when {@code id} has the shape of an id this class makes (it may still be unknown). */
    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    private static byte[] read(Path device) {
        try (InputStream in = Files.newInputStream(device)) {
            byte[] bytes = in.readNBytes(BYTES);
            if (bytes.length < BYTES) {
                throw new IllegalStateException("Cannot make a session id: " + device + " gave " + bytes.length
                        + " of " + BYTES + " random bytes.");
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make a session id: reading " + device + " failed: "
                    + e.getMessage(), e);
        }
    }
}
