package ai.lipsync.avatar;

/**
 * Where an avatar preparation stands: its stage and how many frames that stage has done.
 *
 * @param stage {@code decode}, {@code faces}, {@code masks}, {@code latents}, {@code save}, {@code done}
 */
public record PreparationProgress(String stage, int done, int total) {
    private static final String[] STAGES = {"decode", "faces", "masks", "latents", "save", "done"};
    // Share of the whole each stage takes (the models dominate): decode, faces, masks, latents, save.
    private static final int[] WEIGHTS = {5, 25, 35, 30, 5};

    /** 0..100 over all stages. */
    public int percent() {
        int before = 0;
        for (int i = 0; i < STAGES.length - 1; i++) {
            if (STAGES[i].equals(stage)) {
                double part = total <= 0 ? 0 : Math.min(1.0, done / (double) total);
                return (int) Math.min(100, before + Math.floor(WEIGHTS[i] * part));
            }
            before += WEIGHTS[i];
        }
        return 100;
    }

    /** Listens to a preparation's progress; called on the preparing thread. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> { };

        void progress(PreparationProgress progress);
    }
}
