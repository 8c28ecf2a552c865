"""Per-video-frame audio windows and MuseTalk's positional encoding (reference section 2 and 3).

MuseTalk `musetalk/utils/audio_processor.py::get_whisper_chunk` and
`musetalk/models/unet.py::PositionalEncoding`, as the reference for the Java port.
"""
from __future__ import annotations

import math

import torch

AUDIO_FPS = 50  # whisper steps per second (20 ms each)


def num_frames(num_samples: int, fps: int, sr: int = 16000) -> int:
    return int(math.floor(num_samples / sr * fps))


def frame_windows(features: torch.Tensor, num_samples: int, fps: int = 25, left: int = 2, right: int = 2,
                  sr: int = 16000) -> torch.Tensor:
    """features (1, 1500*S, L, C) stacked hidden states of all segments -> prompts (T, 10*L, C).

    T = floor(seconds*fps). Features are trimmed to floor(seconds*50) steps, padded with p*left zero
    steps before and p*3*right after (p = ceil(50/fps)), and frame f takes steps [a, a+W) with
    a = floor(f*50/fps), W = 2*(left+right+1). Token index = step*L + layer.
    """
    if features.dim() != 4 or features.shape[0] != 1:
        raise ValueError(f"expected features (1, steps, layers, dim), got {tuple(features.shape)}")
    width = 2 * (left + right + 1)
    m = AUDIO_FPS / fps
    t = num_frames(num_samples, fps, sr)
    actual = int(math.floor(num_samples / sr * AUDIO_FPS))
    if actual > features.shape[1]:
        raise ValueError(f"{num_samples} samples need {actual} feature steps, got {features.shape[1]}")
    p = int(math.ceil(m))
    feats = features[:, :actual]
    _, _, layers, dim = feats.shape
    pre = feats.new_zeros(1, p * left, layers, dim)
    post = feats.new_zeros(1, p * 3 * right, layers, dim)
    padded = torch.cat([pre, feats, post], dim=1)  # (1, actual + p*left + 3p*right, L, C)
    clips = []
    for f in range(t):
        a = int(math.floor(f * m))
        clip = padded[:, a:a + width]  # (1, W, L, C)
        if clip.shape[1] != width:
            raise ValueError(f"frame {f}: window [{a}, {a + width}) has {clip.shape[1]} steps, expected {width}")
        clips.append(clip)
    if not clips:
        return feats.new_zeros(0, width * layers, dim)
    return torch.cat(clips, dim=0).reshape(t, width * layers, dim)  # (T, W*L, C)


def positional_encoding(seq_len: int = 50, d_model: int = 384, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """(seq_len, d_model): pe[p, 2i] = sin(p*w_i), pe[p, 2i+1] = cos(p*w_i), w_i = exp(-2i*ln(10000)/d)."""
    position = torch.arange(seq_len, dtype=torch.float32).unsqueeze(1)  # (S, 1)
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))  # (d/2,)
    pe = torch.zeros(seq_len, d_model)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return pe.to(dtype)


def add_positional_encoding(prompts: torch.Tensor) -> torch.Tensor:
    """(B, S, d) -> (B, S, d) + pe[:S]."""
    return prompts + positional_encoding(prompts.shape[1], prompts.shape[2], prompts.dtype).to(prompts.device)
