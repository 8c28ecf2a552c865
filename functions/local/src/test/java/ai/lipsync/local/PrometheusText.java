package ai.lipsync.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /actuator/prometheus, read as Prometheus reads it: series name, labels, value. */
record PrometheusText(String text) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one sample named {@code name} whose labels include {@code labels}; empty when none. */
    Optional<Double> value(String name, Map<String, String> labels) {
        Double found = null;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> has = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    has.put(l.group(1), l.group(2));
                }
            }
            if (has.entrySet().containsAll(labels.entrySet())) {
                if (found != null) {
                    throw new IllegalStateException("more than one " + name + " sample with " + labels + ":\n" + text);
                }
                found = Double.valueOf(m.group(3));
            }
        }
        return Optional.ofNullable(found);
    }

    double value(String name) {
        return value(name, Map.of()).orElseThrow(() -> new AssertionError("no sample " + name + " in:\n" + text));
    }

    double value(String name, String label, String labelValue) {
        return value(name, Map.of(label, labelValue))
                .orElseThrow(() -> new AssertionError("no sample " + name + "{" + label + "=\"" + labelValue + "\"}"));
    }
}
