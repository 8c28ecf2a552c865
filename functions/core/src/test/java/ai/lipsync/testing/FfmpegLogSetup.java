package ai.lipsync.testing;

import ai.lipsync.ffmpeg.FfmpegLogLevel;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Sets FFmpeg's log level once per test run, before any test, as each application does at startup. */
public final class FfmpegLogSetup implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        FfmpegLogLevel.errorsOnly();
    }
}
