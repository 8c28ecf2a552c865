package ai.lipsync.aws.session;

import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.aws.testing.MotoExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MotoExtension.class)
class DynamoDbSessionStoreMotoTest extends DynamoDbSessionStoreContract {
    DynamoDbSessionStoreMotoTest(MotoServer moto) {
        super(moto);
    }
}
