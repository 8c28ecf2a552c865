package ai.lipsync.api.aws;

import ai.lipsync.storage.StreamFile;

/** The S3 object key a stream file is published under; the worker's S3 stream store writes the same keys. */
@FunctionalInterface
public interface StreamObjectKeys {

    String key(String sessionId, StreamFile file);

    /** {@code {prefix}{sessionId}/{file}}, e.g. {@code hls/Qx3.../segment_000.m4s}. */
    static StreamObjectKeys prefixed(String prefix) {
        String p = prefix == null ? "" : prefix;
        return (sessionId, file) -> p + sessionId + "/" + file.name();
    }
}
