package ai.lipsync.worker;

import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;

/**
 * Builds the generation pipeline on the stores the worker hands it: they refuse writes once the
 * worker no longer holds the session (see {@link JobFence}).
 */
@FunctionalInterface
public interface PipelineFactory {
    GenerationPipeline create(SessionStore sessions, StreamStore streams);
}
