package ai.lipsync.avatar;

import ai.lipsync.avatar.landmarks.DwPoseLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.musetalk.MuseTalkModels;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Builds the {@link PreparedAvatarStore} an application runs on its loaded MuseTalk models: the
 * packages under {@code <results>/avatar/} with the latents in {@code <results>/prep_cache/}, and
 * DWPose from the models' manifest as the landmarker, opened only when a first avatar needs
 * preparing (a service whose packages are all current never loads it).
 */
public final class PreparedAvatarStores {
    private PreparedAvatarStores() {
    }

    /** DWPose on the ONNX file the models' manifest lists (checked against its sha256). */
    public static FaceLandmarker dwPose(MuseTalkModels models) {
        return new DwPoseLandmarker(models.landmarkModel());
    }

    /**
     * @param avatarDir {@code results/webapp/avatar} (the latents go to its sibling {@code prep_cache})
     */
    public static PreparedAvatarStore create(MuseTalkModels models, AvatarCatalog catalog, AvatarSettings settings,
                                             Path avatarDir) {
        return create(models, catalog, settings, avatarDir, PreparedAvatarStores::dwPose);
    }

    /** As {@link #create(MuseTalkModels, AvatarCatalog, AvatarSettings, Path)} with another landmarker. */
    public static PreparedAvatarStore create(MuseTalkModels models, AvatarCatalog catalog, AvatarSettings settings,
                                             Path avatarDir, Function<MuseTalkModels, FaceLandmarker> landmarkers) {
        PreparationModels prep = new MuseTalkPreparationModels(models, java.util.Map.of());
        Path absolute = avatarDir.toAbsolutePath();
        return new PreparedAvatarStore(catalog, settings, new VideoAvatarLoader(settings, HaarFaceDetector::new),
                ProceduralAvatar.defaultAvatar(),
                () -> new AvatarPreparer(new FrameFaceBoxes(new HaarFaceDetector(), landmarkers.apply(models)),
                        BlendMaskBuilder.defaults(), prep),
                prep.checksums(), new PreparedAvatarPackage(absolute, absolute.resolveSibling("prep_cache")));
    }
}
