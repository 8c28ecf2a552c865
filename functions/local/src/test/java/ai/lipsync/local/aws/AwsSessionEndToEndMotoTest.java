package ai.lipsync.local.aws;

import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The end-to-end AWS session against a moto_server started on a free port (runs everywhere, CI included). */
@ExtendWith(MotoExtension.class)
class AwsSessionEndToEndMotoTest extends AwsSessionEndToEndContract {
    AwsSessionEndToEndMotoTest(MotoServer moto) {
        super(moto);
    }
}
