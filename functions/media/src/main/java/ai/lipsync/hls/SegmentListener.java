package ai.lipsync.hls;

/** Told each time a segment (and the playlist listing it) has been published. */
@FunctionalInterface
public interface SegmentListener {

    /** @param index 0-based segment number; 0 means the stream became playable */
    void onSegmentPublished(int index, double durationSeconds);
}
