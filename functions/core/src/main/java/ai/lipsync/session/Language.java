package ai.lipsync.session;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The languages the service speaks, by ISO 639-1 code. */
public enum Language {
    RU("ru"), KK("kk"), EN("en");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * The language whose code {@code code} is exactly, ignoring ASCII case only: no trimming (a
     * "ru" followed by a NUL is not Russian) and no Unicode case folding (the Kelvin sign is not a 'k').
     */
    public static Optional<Language> fromCode(String code) {
        if (code == null || !code.chars().allMatch(c -> c < 0x80)) {
            return Optional.empty();
        }
        String wanted = code.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.code.equals(wanted)).findFirst();
    }
}
