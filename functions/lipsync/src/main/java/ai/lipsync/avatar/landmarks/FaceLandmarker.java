package ai.lipsync.avatar.landmarks;

import ai.lipsync.compose.BgrImage;

/**
 * Finds the 68 face landmarks in a whole frame (DWPose on the published ONNX file). Used once per
 * avatar, at preparation; not thread-safe unless an implementation says so.
 */
public interface FaceLandmarker extends AutoCloseable {

    /** The landmarks of the (single) person in {@code frame}; the caller decides if they make a face. */
    FaceLandmarks detect(BgrImage frame);

    @Override
    void close();
}
