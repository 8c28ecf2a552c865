package ai.lipsync.api;

import ai.lipsync.storage.StreamFile;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the URIs of a media playlist: every segment line and the {@code URI} attribute of
 * {@code #EXT-X-MAP}. Only names that are stream files are touched; tags and anything else pass
 * through unchanged, so the playlist stays valid HLS.
 */
final class PlaylistRewriter {
    private static final Pattern MAP_URI = Pattern.compile("^(#EXT-X-MAP:.*?URI=\")([^\"]*)(\".*)$");

    private PlaylistRewriter() {
    }

    /** @param link the new URI for a stream file of this session */
    static String rewrite(String playlist, Function<StreamFile, String> link) {
        StringBuilder out = new StringBuilder(playlist.length() * 4);
        // Keep the line endings the writer used; split on '\n' and leave any '\r' with its line.
        String[] lines = playlist.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            boolean cr = raw.endsWith("\r");
            String line = cr ? raw.substring(0, raw.length() - 1) : raw;
            out.append(rewriteLine(line, link));
            if (cr) {
                out.append('\r');
            }
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String rewriteLine(String line, Function<StreamFile, String> link) {
        if (line.startsWith("#EXT-X-MAP:")) {
            Matcher m = MAP_URI.matcher(line);
            if (m.matches()) {
                Optional<StreamFile> file = StreamFile.parse(m.group(2));
                if (file.isPresent()) {
                    return m.group(1) + link.apply(file.get()) + m.group(3);
                }
            }
            return line;
        }
        if (line.isBlank() || line.startsWith("#")) {
            return line;
        }
        return StreamFile.parse(line.trim()).map(link).orElse(line);
    }
}
