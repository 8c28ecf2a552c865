package ai.lipsync.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Unguessable session ids: 128 random bits, URL-safe base64 without padding (22 characters). */
public final class SessionIds {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");
    private final SecureRandom random;

    public SessionIds(SecureRandom random) {
        this.random = random;
    }

    public static SessionIds create() {
        return new SessionIds(new SecureRandom());
    }

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** True when {@code id} has the shape of an id this class makes (it may still be unknown). */
    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
