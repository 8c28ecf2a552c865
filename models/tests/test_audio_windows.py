"""Per-frame audio windows (reference section 2) on synthetic features where each step is labelled."""
import math

import pytest
import torch

from musetalk_models.audio_windows import frame_windows, num_frames, positional_encoding


def _labelled(steps):
    # feature value = step index + 1 (0 is the zero padding), layer in the last-but-one axis
    return (torch.arange(steps, dtype=torch.float32) + 1)[None, :, None, None].expand(1, steps, 5, 384).clone()


def test_frameWindows_at25fps_frameFSeesStepsTwoFMinusFourToTwoFPlusSix():
    samples = 16000 * 2  # 2 s -> 50 frames, 100 steps
    prompts = frame_windows(_labelled(1500), samples, fps=25)
    assert prompts.shape == (50, 50, 384)
    for f in (0, 1, 2, 25, 49):
        steps = prompts[f, ::5, 0]  # token = step*5 + layer
        expected = [s + 1 if 0 <= s < 100 else 0 for s in range(2 * f - 4, 2 * f + 6)]
        assert steps.tolist() == expected


def test_frameWindows_trimsTheZeroPaddedTailOfTheLastSegment():
    samples = 16000 + 8000  # 1.5 s -> 75 steps kept out of 1500
    prompts = frame_windows(_labelled(1500), samples, fps=25)
    assert prompts.shape[0] == 37
    assert prompts.max().item() == 75


def test_numFrames_usesFloorOfSecondsTimesFps():
    assert num_frames(53920, 25) == math.floor(53920 / 16000 * 25) == 84
    assert num_frames(0, 25) == 0


def test_frameWindows_withTooFewFeatureSteps_refuses():
    with pytest.raises(ValueError, match="need 1550 feature steps"):
        frame_windows(_labelled(1500), 31 * 16000, fps=25)


def test_frameWindows_withWrongRank_refuses():
    with pytest.raises(ValueError, match=r"expected features \(1, steps, layers, dim\)"):
        frame_windows(torch.zeros(1500, 5, 384), 16000)


def test_positionalEncoding_isTheSinusoidOfTheReference():
    pe = positional_encoding(50, 384)
    p, i = 7, 11
    w = math.exp(-(2 * i) * math.log(10000.0) / 384)
    assert pe[p, 2 * i].item() == pytest.approx(math.sin(p * w), abs=1e-6)
    assert pe[p, 2 * i + 1].item() == pytest.approx(math.cos(p * w), abs=1e-6)
    assert pe[0, 0::2].abs().max().item() == 0.0


@pytest.mark.parametrize("fps", [50, 60])
def test_frameWindows_at50fpsAndAbove_runPastThePadding_asTheReferenceDoes(fps):
    # ceil(50/fps) = 1: 2 steps of left pad, 6 of right pad, and the last frame's 10-step window
    # ends past them (the reference asserts and exits there): the Java side refuses these rates.
    with pytest.raises(ValueError, match="expected 10"):
        frame_windows(_labelled(1500), 16000, fps=fps)


def test_frameWindows_below50fps_haveAWindowForEveryFrame():
    for fps in range(1, 50):
        for samples in (1, 320, 16000, 16000 + 7, 3 * 16000 + 12345):
            prompts = frame_windows(_labelled(1500), samples, fps=fps)
            assert prompts.shape[0] == num_frames(samples, fps)
