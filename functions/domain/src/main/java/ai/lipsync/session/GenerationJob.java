package ai.lipsync.session;

/** What a worker needs to run one generation; the session id is the job's identity. */
public record GenerationJob(String sessionId, String text, Language lang, String avatar) {
}
