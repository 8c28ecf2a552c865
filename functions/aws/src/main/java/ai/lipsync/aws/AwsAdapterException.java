package ai.lipsync.aws;

/**
 * An AWS call made by one of this module's adapters failed: the one exception of this layer,
 * carrying which resource and which operation, with the SDK's exception as the cause.
 */
public class AwsAdapterException extends RuntimeException {

    public AwsAdapterException(String message, Throwable cause) {
        super(message, cause);
    }

    public AwsAdapterException(String message) {
        super(message);
    }
}
