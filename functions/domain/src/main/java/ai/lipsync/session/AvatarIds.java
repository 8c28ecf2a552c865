package ai.lipsync.session;

import java.util.regex.Pattern;

/**
 * The shape of an avatar id, in one place: the API validates requests with it and the avatar
 * catalog names videos by it, so an id one accepts is always one the other can find. It lives in
 * {@code session} because that package depends on no other.
 */
public final class AvatarIds {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AvatarIds() {
    }

    /** True for 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
