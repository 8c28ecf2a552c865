package ai.lipsync.aws.queue;

import ai.lipsync.aws.testing.LocalStackBackend;
import ai.lipsync.aws.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class SqsJobQueueLocalStackTest extends SqsJobQueueContract {
    SqsJobQueueLocalStackTest(LocalStackBackend localStack) {
        super(localStack);
    }
}
