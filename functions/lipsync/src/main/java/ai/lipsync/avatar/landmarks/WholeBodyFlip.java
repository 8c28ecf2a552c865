package ai.lipsync.avatar.landmarks;

/**
 * COCO-WholeBody's left/right keypoint pairs (mmpose's {@code coco_wholebody} dataset meta, the
 * {@code swap} entries) as a flip-index table, used by the flip test: keypoint {@code k} of a
 * mirrored image is keypoint {@code FLIP[k]} of the original.
 */
final class WholeBodyFlip {
    static final int KEYPOINTS = 133;
    static final int FACE_FIRST = 23;
    static final int HAND_LEFT_FIRST = 91;
    static final int HAND_RIGHT_FIRST = 112;

    private WholeBodyFlip() {
    }

    /** A new copy of the 133-entry table (an involution). */
    static int[] indices() {
        int[] f = new int[KEYPOINTS];
        for (int i = 0; i < KEYPOINTS; i++) {
            f[i] = i;
        }
        // body: nose stays, then eyes, ears, shoulders, elbows, wrists, hips, knees, ankles in left/right pairs
        for (int i = 1; i < 17; i += 2) {
            pair(f, i, i + 1);
        }
        // feet: left big toe, small toe, heel (17-19) / right (20-22)
        for (int i = 0; i < 3; i++) {
            pair(f, 17 + i, 20 + i);
        }
        int[][] face = {
            {0, 16}, {1, 15}, {2, 14}, {3, 13}, {4, 12}, {5, 11}, {6, 10}, {7, 9},
            {17, 26}, {18, 25}, {19, 24}, {20, 23}, {21, 22},
            {31, 35}, {32, 34},
            {36, 45}, {37, 44}, {38, 43}, {39, 42}, {40, 47}, {41, 46},
            {48, 54}, {49, 53}, {50, 52}, {55, 59}, {56, 58},
            {60, 64}, {61, 63}, {65, 67},
        };
        for (int[] p : face) {
            pair(f, FACE_FIRST + p[0], FACE_FIRST + p[1]);
        }
        for (int i = 0; i < 21; i++) {
            pair(f, HAND_LEFT_FIRST + i, HAND_RIGHT_FIRST + i);
        }
        return f;
    }

    private static void pair(int[] f, int a, int b) {
        f[a] = b;
        f[b] = a;
    }
}
