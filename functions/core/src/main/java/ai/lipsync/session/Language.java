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

    public static Optional<Language> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.code.equals(wanted)).findFirst();
    }
}
