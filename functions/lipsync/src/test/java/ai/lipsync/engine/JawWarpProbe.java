package ai.lipsync.engine;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;

/** Test access to the lip-line search. */
public final class JawWarpProbe {
    private JawWarpProbe() {
    }

    public static double lipLine(FaceBox box, BgrImage frame) {
        return JawWarp.findLipLine(box, frame);
    }
}
