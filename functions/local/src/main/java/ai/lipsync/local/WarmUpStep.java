package ai.lipsync.local;

/**
 * Something the instance does once after it starts and before it reports ready for traffic
 * ({@link GenerationReadiness}): probing the encoder, preparing the default avatar. Beans of this
 * type run in their {@code @Order}, one after another.
 *
 * @param name what the readiness details and the log call it
 */
public record WarmUpStep(String name, Runnable work) {
}
