package ai.lipsync.avatar.landmarks;

/**
 * mmpose's SimCC decoding ({@code get_simcc_maximum} then {@code / simcc_split_ratio}): for each
 * keypoint the argmax of its x and y bin vectors (first maximum on ties, as numpy), the score the
 * smaller of the two maxima, and the location {@code -1} (before the division) where that score is
 * not positive, which marks the point as not found.
 */
public final class SimCcDecoder {
    private SimCcDecoder() {
    }

    /**
     * @param simccX {@code [keypoints, xBins]} row-major logits
     * @param simccY {@code [keypoints, yBins]} row-major logits
     * @param keypoints K
     * @param splitRatio bins per input pixel (2.0 for DWPose)
     * @return keypoints in model input pixels with their scores
     */
    public static Keypoints decode(float[] simccX, float[] simccY, int keypoints, double splitRatio) {
        if (keypoints <= 0 || simccX.length % keypoints != 0 || simccY.length % keypoints != 0
                || simccX.length == 0 || simccY.length == 0) {
            throw new IllegalArgumentException("SimCC vectors of " + simccX.length + " and " + simccY.length
                    + " values do not split into " + keypoints + " keypoints");
        }
        if (!(splitRatio > 0)) {
            throw new IllegalArgumentException("split ratio must be positive, was " + splitRatio);
        }
        int wx = simccX.length / keypoints;
        int wy = simccY.length / keypoints;
        float[] x = new float[keypoints];
        float[] y = new float[keypoints];
        float[] score = new float[keypoints];
        for (int k = 0; k < keypoints; k++) {
            int ix = argmax(simccX, k * wx, wx);
            int iy = argmax(simccY, k * wy, wy);
            float s = Math.min(simccX[k * wx + ix], simccY[k * wy + iy]);
            score[k] = s;
            boolean found = s > 0f;
            x[k] = (float) ((found ? ix : -1) / splitRatio);
            y[k] = (float) ((found ? iy : -1) / splitRatio);
        }
        return new Keypoints(x, y, score);
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
