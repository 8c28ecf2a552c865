package ai.lipsync.api;

import ai.lipsync.storage.StreamFile;

/** The embedded default: a segment is named relatively, exactly as the stored playlist names it. */
enum RelativeSegmentLinks implements SegmentLinks {
    INSTANCE;

    @Override
    public String uri(String sessionId, StreamFile file) {
        return file.name();
    }
}
