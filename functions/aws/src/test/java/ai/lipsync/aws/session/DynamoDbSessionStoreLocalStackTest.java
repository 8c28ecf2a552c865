package ai.lipsync.aws.session;

import ai.lipsync.aws.testing.LocalStackBackend;
import ai.lipsync.aws.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class DynamoDbSessionStoreLocalStackTest extends DynamoDbSessionStoreContract {
    DynamoDbSessionStoreLocalStackTest(LocalStackBackend localStack) {
        super(localStack);
    }
}
