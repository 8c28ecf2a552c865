"""The golden-set generator's pieces that need no OpenCV/Pillow (those are a developer install):
seam frames, the crop box rule, the float wav writer and the argument checks."""
import argparse
import json
import struct

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from conftest import golden_case
from musetalk_models import golden_set as gs


def _chunks(data: bytes) -> dict[bytes, bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    out, i = {}, 12
    while i < len(data):
        tag, size = data[i:i + 4], struct.unpack("<I", data[i + 4:i + 8])[0]
        out[tag] = data[i + 8:i + 8 + size]
        i += 8 + size + (size & 1)
    return out


def test_seamFrames_takeTenEachSideOfEverySeamAndTheLastTen():
    assert gs.seam_frames(788, 2) == list(range(740, 760)) + list(range(778, 788))  # the shared set's 31.52 s
    assert gs.seam_frames(1600, 3) == (list(range(740, 760)) + list(range(1490, 1510)) + list(range(1590, 1600)))
    assert gs.seam_frames(755, 2) == list(range(740, 755))  # overlapping ranges, each frame once


def test_seamFrames_ofTheSharedLongClip_areItsFrameIndex():
    c = load_file(str(golden_case("whisper", "long.safetensors") / "long.safetensors"))
    assert gs.seam_frames(int(c["num_frames"]), c["mel"].shape[0]) == c["frame_index"].tolist()


def test_cropBox_ofTheGoldenFaceBox_isTheGoldenCropBox():
    case = json.loads((golden_case("blend", "case.json") / "case.json").read_text())
    assert list(gs.crop_box(tuple(case["bbox_with_margin"]), case["expand"])) == case["crop_box"]


def test_floatWav_isIeeeFloatMono16kWithItsSamples(tmp_path):
    samples = np.linspace(-1, 1, 1001, dtype=np.float32)
    gs.write_float_wav(tmp_path / "a.wav", samples)
    c = _chunks((tmp_path / "a.wav").read_bytes())
    assert struct.unpack("<HHIIHH", c[b"fmt "]) == (3, 1, 16000, 64000, 4, 32)
    assert struct.unpack("<I", c[b"fact"])[0] == 1001
    assert np.array_equal(np.frombuffer(c[b"data"], "<f4"), samples)


def test_floatWav_ofTheSharedShortClip_holdsItsSamplesAsTheGoldenWavDoes(tmp_path):
    d = golden_case("whisper", "short.wav", "short.safetensors")
    samples = load_file(str(d / "short.safetensors"))["samples"].numpy()
    gs.write_float_wav(tmp_path / "short.wav", samples)
    mine, theirs = _chunks((tmp_path / "short.wav").read_bytes()), _chunks((d / "short.wav").read_bytes())
    assert mine[b"fmt "][:16] == theirs[b"fmt "][:16] and mine[b"data"] == theirs[b"data"]


def test_clip_outsideTheSpeech_refusesWithTheLengths():
    with pytest.raises(SystemExit, match="does not fit the 2.00 s speech"):
        gs.clip(np.zeros(32000, np.float32), 1.5, 1.0, "short")
    assert torch.equal(gs.clip(np.arange(48000, dtype=np.float32), 1.0, 0.5, "short"), torch.arange(16000, 24000.0))


@pytest.mark.parametrize("text", ["32,64,64", "32,48,64,64", "32,64,64,0"])
def test_widths_notFourMultiplesOfTheGroups_areRefused(text):
    with pytest.raises(argparse.ArgumentTypeError, match="need 4 widths"):
        gs._widths(text, 32, 8)
    assert gs._widths("64,32,64,96", 32, 8) == [64, 32, 64, 96]
