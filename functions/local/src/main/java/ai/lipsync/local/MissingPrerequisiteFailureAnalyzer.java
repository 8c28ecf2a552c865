package ai.lipsync.local;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing tool into Spring Boot's "APPLICATION FAILED TO START / Action:" banner. */
public class MissingPrerequisiteFailureAnalyzer extends AbstractFailureAnalyzer<MissingPrerequisiteException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingPrerequisiteException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
