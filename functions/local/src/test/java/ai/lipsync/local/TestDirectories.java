package ai.lipsync.local;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Path;

/** Points the app's data, HLS and avatar-video folders under a test's temp folder. */
public final class TestDirectories {
    private TestDirectories() {
    }

    public static void register(DynamicPropertyRegistry registry, Path root) {
        registry.add("lipsync.storage.hls-dir", () -> root.resolve("static/hls").toString());
        registry.add("lipsync.storage.data-dir", () -> root.resolve("data").toString());
        registry.add("lipsync.avatar.video-dir", () -> root.resolve("data/video").toString());
    }
}
