package ai.lipsync.aws;

import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.aws.testing.MotoExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MotoExtension.class)
class AwsResourcesMotoTest extends AwsResourcesContract {
    AwsResourcesMotoTest(MotoServer moto) {
        super(moto);
    }
}
