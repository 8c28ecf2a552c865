package ai.lipsync.aws.session;

import ai.lipsync.aws.AwsAdapterException;

/**
 * A session update that was not applied: every conditional write of a bounded number lost its
 * race, or the thread was interrupted while waiting to retry.
 */
public final class ConcurrentUpdateException extends AwsAdapterException {
    public ConcurrentUpdateException(String message) {
        super(message);
    }

    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
