package ai.lipsync.local.aws;

import ai.lipsync.aws.testing.LocalStackBackend;
import ai.lipsync.aws.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same end-to-end session against LocalStack in a container; skipped with the reason where Docker is absent. */
@ExtendWith(LocalStackExtension.class)
class AwsSessionEndToEndLocalStackTest extends AwsSessionEndToEndContract {
    AwsSessionEndToEndLocalStackTest(LocalStackBackend localStack) {
        super(localStack);
    }
}
