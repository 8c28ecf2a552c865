package ai.lipsync.pipeline;

import ai.lipsync.session.ErrorCode;

/**
 * Asked by {@link GenerationPipeline#runClaimed(ai.lipsync.session.GenerationJob, FailureGate)} before it
 * ends a failed generation's session in error: the caller may keep the session (it stays processing
 * under the caller's claim) to hand it to someone else instead.
 */
@FunctionalInterface
public interface FailureGate {
    /** Every failure ends its session: the embedded default, and any caller with no one to hand a job to. */
    FailureGate END_ALWAYS = (sessionId, code) -> true;

    /** @return true to end the session in error with {@code code}; false to leave it to the caller */
    boolean mayEnd(String sessionId, ErrorCode code);
}
