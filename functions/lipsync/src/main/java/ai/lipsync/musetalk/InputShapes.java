package ai.lipsync.musetalk;

import ai.lipsync.audio.PcmAudio;

/** Shapes of the domain inputs, as text for error context. */
final class InputShapes {

    private InputShapes() {
    }

    static String describe(Object input) {
        if (input instanceof UNetInput u) {
            return ModelManifest.shapeText(u.latents().shape()) + "+" + ModelManifest.shapeText(u.audio().shape());
        }
        if (input instanceof LatentBatch l) {
            return ModelManifest.shapeText(l.shape());
        }
        if (input instanceof VaeEncodeInput v) {
            return "(" + v.crops().size() + ",256,256,3)+(" + v.crops().size() + ")";
        }
        if (input instanceof PcmAudio a) {
            return "(" + a.samples().length + ")";
        }
        if (input instanceof FaceParsingInput f) {
            return "(" + f.count() + ",3,512,512)";
        }
        return input == null ? "null" : input.getClass().getSimpleName();
    }
}
