package ai.lipsync.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our media playlist for one stream: an EVENT playlist that grows one segment at a time and is
 * closed with {@code #EXT-X-ENDLIST}; every version tells players to start at its first second.
 * The target duration is fixed for the whole stream (the GOP length), so every intermediate
 * version carries the same value, and every segment respects it.
 * A value: {@link #append} and {@link #end} give the next version.
 */
public record HlsPlaylist(int targetDuration, List<Segment> segments, boolean ended) {
    /**
     * Players start at the first second, not at the live edge: a player that joins while the
     * stream is generated (hls.js by default starts three target durations before the end of a
     * live playlist) would otherwise never show the first words. PRECISE is left at its default
     * (NO, start at the segment that holds the offset): offset 0 is the start of segment 0, so
     * YES would mean the same.
     */
    public static final String START_AT_FIRST_SECOND = "#EXT-X-START:TIME-OFFSET=0";

    /** One published segment. */
    public record Segment(String uri, double durationSeconds) {
    }

    public HlsPlaylist {
        segments = List.copyOf(segments);
    }

    /** A stream's playlist before its first segment. */
    public static HlsPlaylist empty(int targetDuration) {
        return new HlsPlaylist(targetDuration, List.of(), false);
    }

    /** This playlist with {@code segment} last. */
    public HlsPlaylist append(Segment segment) {
        if (ended) {
            throw new IllegalStateException("the playlist has ended; " + segment.uri() + " cannot follow");
        }
        List<Segment> more = new ArrayList<>(segments.size() + 1);
        more.addAll(segments);
        more.add(segment);
        return new HlsPlaylist(targetDuration, more, false);
    }

    /** This playlist closed with {@code #EXT-X-ENDLIST}: no segment follows. */
    public HlsPlaylist end() {
        return new HlsPlaylist(targetDuration, segments, true);
    }

    /** The playlist's text. */
    public String text() {
        return render(targetDuration, segments, ended);
    }

    public static String render(int targetDuration, List<Segment> segments, boolean ended) {
        StringBuilder out = new StringBuilder(256 + segments.size() * 32);
        out.append("#EXTM3U\n")
                .append("#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n")
                .append("#EXT-X-PLAYLIST-TYPE:EVENT\n")
                .append("#EXT-X-INDEPENDENT-SEGMENTS\n")
                .append(START_AT_FIRST_SECOND).append('\n')
                .append("#EXT-X-MAP:URI=\"").append(ai.lipsync.storage.StreamFile.INIT).append("\"\n");
        for (Segment segment : segments) {
            out.append("#EXTINF:").append(String.format(Locale.ROOT, "%.6f", segment.durationSeconds())).append(",\n")
                    .append(segment.uri()).append('\n');
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /** The segments (duration, URI) a media playlist lists, in order; tags other than EXTINF are skipped. */
    public static List<Segment> parseSegments(String playlist) {
        List<Segment> segments = new ArrayList<>();
        Double pending = null;
        for (String raw : playlist.split("\\R")) {
            String line = raw.trim();
            if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                int comma = value.indexOf(',');
                pending = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
            } else if (!line.isEmpty() && !line.startsWith("#") && pending != null) {
                segments.add(new Segment(line, pending));
                pending = null;
            }
        }
        return segments;
    }
}
