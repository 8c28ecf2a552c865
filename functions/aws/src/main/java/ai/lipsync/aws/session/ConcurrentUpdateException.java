package ai.lipsync.aws.session;

import ai.lipsync.aws.AwsAdapterException;

/** A session kept changing under an update: every conditional write of a bounded number lost. */
public final class ConcurrentUpdateException extends AwsAdapterException {
    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
