package ai.lipsync.avatar.landmarks;

import java.util.Arrays;

/** Decoded keypoints (pixels of whatever space they were decoded in) with their SimCC scores. */
public record Keypoints(float[] x, float[] y, float[] score) {

    public Keypoints {
        if (x.length != y.length || x.length != score.length) {
            throw new IllegalArgumentException("keypoint arrays differ in length: " + x.length + ", " + y.length
                    + ", " + score.length);
        }
        x = x.clone();
        y = y.clone();
        score = score.clone();
    }

    public int count() {
        return x.length;
    }

    public float x(int i) {
        return x[i];
    }

    public float y(int i) {
        return y[i];
    }

    public float score(int i) {
        return score[i];
    }

    @Override
    public float[] x() {
        return x.clone();
    }

    @Override
    public float[] y() {
        return y.clone();
    }

    @Override
    public float[] score() {
        return score.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keypoints k && Arrays.equals(x, k.x) && Arrays.equals(y, k.y)
                && Arrays.equals(score, k.score);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 * 31 + Arrays.hashCode(y) * 31 + Arrays.hashCode(score);
    }

    @Override
    public String toString() {
        return "Keypoints[" + x.length + "]";
    }
}
