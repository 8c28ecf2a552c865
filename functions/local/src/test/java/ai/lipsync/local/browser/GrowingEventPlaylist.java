package ai.lipsync.local.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Serves a finished VOD playlist the way the service publishes one while it generates: an EVENT
 * playlist that gains one segment per {@code interval} from the first request on, and gets
 * {@code #EXT-X-ENDLIST} with the last one. Segments not yet listed are not served either.
 */
final class GrowingEventPlaylist {
    private final List<String> header = new ArrayList<>();
    private final List<String> segmentEntries = new ArrayList<>();
    private final List<String> segmentUris = new ArrayList<>();
    private final int initialSegments;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long firstRequestNanos = -1;

    GrowingEventPlaylist(String vodPlaylist, int initialSegments, Duration interval, LongSupplier nanoClock) {
        this.initialSegments = initialSegments;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        String pendingInfo = null;
        for (String line : vodPlaylist.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.equals("#EXT-X-ENDLIST")) {
                continue;
            }
            if (trimmed.startsWith("#EXT-X-PLAYLIST-TYPE")) {
                header.add("#EXT-X-PLAYLIST-TYPE:EVENT");
            } else if (trimmed.startsWith("#EXTINF")) {
                pendingInfo = trimmed;
            } else if (pendingInfo != null && !trimmed.startsWith("#")) {
                segmentEntries.add(pendingInfo + "\n" + trimmed);
                segmentUris.add(trimmed);
                pendingInfo = null;
            } else if (segmentEntries.isEmpty()) {
                header.add(trimmed);
            }
        }
        if (segmentEntries.isEmpty()) {
            throw new IllegalArgumentException("the playlist lists no segment:\n" + vodPlaylist);
        }
    }

    /** Starts growing again from the next request, as for a new session. */
    synchronized void restart() {
        firstRequestNanos = -1;
    }

    int segmentCount() {
        return segmentEntries.size();
    }

    synchronized String render() {
        int visible = visibleSegments();
        StringBuilder playlist = new StringBuilder();
        header.forEach(line -> playlist.append(line).append('\n'));
        segmentEntries.subList(0, visible).forEach(entry -> playlist.append(entry).append('\n'));
        if (visible == segmentEntries.size()) {
            playlist.append("#EXT-X-ENDLIST\n");
        }
        return playlist.toString();
    }

    /** Whether a segment file may be served: only once the playlist lists it. */
    synchronized boolean isPublished(String uri) {
        int index = segmentUris.indexOf(uri);
        return index < 0 || index < visibleSegments();
    }

    private int visibleSegments() {
        long now = nanoClock.getAsLong();
        if (firstRequestNanos < 0) {
            firstRequestNanos = now;
        }
        long grown = (now - firstRequestNanos) / intervalNanos;
        return (int) Math.min(segmentEntries.size(), initialSegments + grown);
    }
}
