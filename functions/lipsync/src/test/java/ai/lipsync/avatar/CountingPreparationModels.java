package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.VaeEncodeInput;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Real preparation models that count their calls, and whose checksums a test may change. */
final class CountingPreparationModels implements PreparationModels {
    private final PreparationModels real;
    private final Map<String, String> checksums;
    final AtomicInteger parses = new AtomicInteger();
    final AtomicInteger encodes = new AtomicInteger();

    CountingPreparationModels(PreparationModels real, Map<String, String> checksums) {
        this.real = real;
        this.checksums = checksums;
    }

    int calls() {
        return parses.get() + encodes.get();
    }

    @Override
    public List<GrayImage> parse(List<BgrImage> inputs512) {
        parses.incrementAndGet();
        return real.parse(inputs512);
    }

    @Override
    public LatentBatch encode(VaeEncodeInput crops) {
        encodes.incrementAndGet();
        return real.encode(crops);
    }

    @Override
    public int batchSize() {
        return real.batchSize();
    }

    @Override
    public Map<String, String> checksums() {
        return checksums;
    }
}
