package ai.lipsync.aws.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile (continuations joined, comments dropped) and says which of its COPY sources
 * would be missing at build time. A source from the build context must exist in the repository and
 * not be excluded by .dockerignore; a source from the Maven build stage must be one of the files
 * that stage's Maven build produces. Other stages and images are checked by their own RUN lines.
 */
final class Dockerfiles {
    /** A stage whose sources are the build context and whose products are Maven's. */
    static final String MAVEN_STAGE = "build";
    private static final Pattern FROM = Pattern.compile("(?i)FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern WORKDIR = Pattern.compile("(?i)WORKDIR\\s+(\\S+)");

    record Instruction(String stage, String keyword, String arguments) {
    }

    record Copy(String stage, String from, List<String> sources, String destination) {
    }

    private Dockerfiles() {
    }

    static List<Instruction> instructions(Path dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String stage = null;
        for (String line : lines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            String[] parts = text.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            if (keyword.equals("FROM")) {
                Matcher from = FROM.matcher(text);
                if (!from.matches()) {
                    throw new IllegalArgumentException("unreadable FROM in " + dockerfile + ": " + text);
                }
                stage = from.group(2) != null ? from.group(2) : from.group(1);
            }
            instructions.add(new Instruction(stage, keyword, parts.length > 1 ? parts[1] : ""));
        }
        return instructions;
    }

    static List<Copy> copies(Path dockerfile) {
        List<Copy> copies = new ArrayList<>();
        for (Instruction instruction : instructions(dockerfile)) {
            if (!instruction.keyword().equals("COPY") && !instruction.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(instruction.arguments().split("\\s+")));
            String from = null;
            while (!words.isEmpty() && words.get(0).startsWith("--")) {
                String flag = words.remove(0);
                if (flag.startsWith("--from=")) {
                    from = flag.substring("--from=".length());
                }
            }
            if (words.size() < 2) {
                throw new IllegalArgumentException("COPY without source and destination: " + instruction);
            }
            copies.add(new Copy(instruction.stage(), from, List.copyOf(words.subList(0, words.size() - 1)),
                    words.get(words.size() - 1)));
        }
        return copies;
    }

    /** Stage name -> its WORKDIR (the last one set), for mapping build-stage paths back to the repository. */
    static Map<String, String> workdirs(Path dockerfile) {
        Map<String, String> workdirs = new LinkedHashMap<>();
        for (Instruction instruction : instructions(dockerfile)) {
            Matcher workdir = WORKDIR.matcher(instruction.keyword() + " " + instruction.arguments());
            if (workdir.matches()) {
                workdirs.put(instruction.stage(), workdir.group(1).replaceAll("/+$", ""));
            }
        }
        return workdirs;
    }

    /**
     * Everything wrong with the Dockerfile's COPY sources; empty when every copied path will exist.
     *
     * @param context the build context (the repository root)
     * @param buildOutputs repository-relative files the Maven build stage produces
     */
    static List<String> missingSources(Path dockerfile, Path context, Set<String> buildOutputs) {
        List<String> problems = new ArrayList<>();
        List<PathMatcher> ignored = dockerignore(context);
        Map<String, String> workdirs = workdirs(dockerfile);
        for (Copy copy : copies(dockerfile)) {
            for (String source : copy.sources()) {
                if (copy.from() == null) {
                    Path path = context.resolve(source).normalize();
                    if (!Files.exists(path)) {
                        problems.add("COPY " + source + ": no such path in the build context");
                    } else if (!source.equals(".") && isIgnored(ignored, source)) {
                        problems.add("COPY " + source + ": excluded by .dockerignore");
                    }
                } else if (copy.from().equals(MAVEN_STAGE)) {
                    String workdir = workdirs.getOrDefault(MAVEN_STAGE, "");
                    if (!source.startsWith(workdir + "/")) {
                        problems.add("COPY --from=" + MAVEN_STAGE + " " + source + ": outside the build's " + workdir);
                        continue;
                    }
                    String relative = source.substring(workdir.length() + 1);
                    if (!buildOutputs.contains(relative) && !Files.exists(context.resolve(relative))) {
                        problems.add("COPY --from=" + MAVEN_STAGE + " " + source
                                + ": neither produced by the Maven build " + buildOutputs + " nor in the repository");
                    }
                }
            }
        }
        return problems;
    }

    /** The .dockerignore patterns of the context, Docker style: a match on a folder excludes what is in it. */
    static List<PathMatcher> dockerignore(Path context) {
        Path file = context.resolve(".dockerignore");
        List<PathMatcher> matchers = new ArrayList<>();
        if (!Files.exists(file)) {
            return matchers;
        }
        for (String line : lines(file)) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                continue;
            }
            pattern = pattern.replaceAll("^/+|/+$", "");
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return matchers;
    }

    static boolean isIgnored(List<PathMatcher> matchers, String relative) {
        for (Path path = Path.of(relative).normalize(); path != null; path = path.getParent()) {
            Path candidate = path;
            if (matchers.stream().anyMatch(m -> m.matches(candidate))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
