package ai.lipsync.avatar.landmarks;

import java.util.Arrays;

/**
 * The 68 face landmarks of one frame in iBUG order (0-16 jaw, 27-30 nose bridge, 8 chin), in
 * frame pixels. MuseTalk 1.5 builds its face box from them ({@code FaceBoxRule}).
 */
public record FaceLandmarks(float[] x, float[] y) {

    public static final int COUNT = 68;

    public FaceLandmarks {
        if (x.length != COUNT || y.length != COUNT) {
            throw new IllegalArgumentException("68 landmarks expected, got " + x.length + " x and " + y.length + " y");
        }
        x = x.clone();
        y = y.clone();
    }

    @Override
    public float[] x() {
        return x.clone();
    }

    @Override
    public float[] y() {
        return y.clone();
    }

    public float x(int i) {
        return x[i];
    }

    public float y(int i) {
        return y[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceLandmarks other && Arrays.equals(x, other.x) && Arrays.equals(y, other.y);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
    }
}
