package ai.lipsync.aws;

import ai.lipsync.aws.testing.LocalStackBackend;
import ai.lipsync.aws.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class AwsResourcesLocalStackTest extends AwsResourcesContract {
    AwsResourcesLocalStackTest(LocalStackBackend localStack) {
        super(localStack);
    }
}
