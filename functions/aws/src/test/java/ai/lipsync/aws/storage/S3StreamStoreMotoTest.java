package ai.lipsync.aws.storage;

import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.aws.testing.MotoExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MotoExtension.class)
class S3StreamStoreMotoTest extends S3StreamStoreContract {
    S3StreamStoreMotoTest(MotoServer moto) {
        super(moto);
    }
}
