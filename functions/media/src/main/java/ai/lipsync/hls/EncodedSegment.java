package ai.lipsync.hls;

import ai.lipsync.storage.StreamFile;

/** One fMP4 media segment FFmpeg has closed: its name, its length and its complete bytes. */
record EncodedSegment(StreamFile file, double durationSeconds, byte[] content) {
}
