package ai.lipsync.testing;

import ai.lipsync.ffmpeg.FfmpegLogLevel;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sets FFmpeg's log level once per test run, before any test, as each application does at startup;
 * not where FFmpeg is absent (functions/api, the Lambda module, has no JavaCV on its test classpath).
 */
public final class FfmpegLogSetup implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Class.forName("org.bytedeco.ffmpeg.global.avutil", false, FfmpegLogSetup.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return;
        }
        FfmpegLogLevel.errorsOnly();
    }
}
