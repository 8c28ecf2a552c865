package ai.lipsync.aws.storage;

import ai.lipsync.aws.testing.LocalStackBackend;
import ai.lipsync.aws.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class S3StreamStoreLocalStackTest extends S3StreamStoreContract {
    S3StreamStoreLocalStackTest(LocalStackBackend localStack) {
        super(localStack);
    }
}
