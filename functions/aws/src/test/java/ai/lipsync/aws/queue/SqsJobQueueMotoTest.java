package ai.lipsync.aws.queue;

import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MotoExtension.class)
class SqsJobQueueMotoTest extends SqsJobQueueContract {
    SqsJobQueueMotoTest(MotoServer moto) {
        super(moto);
    }
}
