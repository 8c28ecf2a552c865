package ai.lipsync.api.aws;

import ai.lipsync.storage.StreamFile;

/**
 * The S3 object key a stream file is published under. The application passes
 * {@code S3StreamStore::key}, so links always name the objects the worker's store writes.
 */
@FunctionalInterface
public interface StreamObjectKeys {

    String key(String sessionId, StreamFile file);
}
