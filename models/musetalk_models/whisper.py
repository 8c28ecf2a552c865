"""Whisper-tiny audio features as MuseTalk uses them: log-mel of one 30 s segment, then the
encoder's 5 hidden states stacked -> (1500, 5, 384).

The encoder is transformers' own `WhisperEncoder` (weights loaded strictly from
`model.safetensors` / `pytorch_model.bin`). Its hidden states are assembled here explicitly, with
the semantics of transformers 4.39 that MuseTalk was written against:
  [0] = GELU convs + learned positions (input of layer 1)
  [1], [2], [3] = outputs of layers 1-3
  [4] = final LayerNorm(output of layer 4)
so the result does not depend on how a given transformers version records `hidden_states`
(the tests check the installed version against the golden tensors anyway).

The log-mel is WhisperFeatureExtractor's math in torch ops that trace: periodic Hann(400), hop 160,
centred reflect padding, the last of the 3001 frames dropped, |rfft|^2, the Slaney mel filterbank
(80 x 201) taken from transformers' feature extractor as a constant, log10(max(x, 1e-10)),
max(x, max(x) - 8), (x + 4) / 4.
"""
from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from .weights import WeightLoadError, check_state_dict, read_state_dict

SAMPLE_RATE = 16000
SEGMENT_SAMPLES = 480000  # 30 s
MEL_FRAMES = 3000
ENCODER_STEPS = 1500  # 50 per second


@dataclass
class MelConfig:
    n_fft: int = 400
    hop_length: int = 160
    feature_size: int = 80
    sampling_rate: int = SAMPLE_RATE
    n_samples: int = SEGMENT_SAMPLES

    @classmethod
    def from_json(cls, path: str | Path) -> "MelConfig":
        raw = json.loads(Path(path).read_text())
        if raw.get("feature_extractor_type", "WhisperFeatureExtractor") != "WhisperFeatureExtractor":
            raise ValueError(f"{path}: not a WhisperFeatureExtractor config")
        if raw.get("dither", 0.0) != 0.0:
            raise ValueError(f"{path}: dither {raw['dither']} is not supported (random noise)")
        return cls(**{k: raw[k] for k in ("n_fft", "hop_length", "feature_size", "sampling_rate", "n_samples") if k in raw})


def slaney_mel_filters(cfg: MelConfig) -> torch.Tensor:
    """(n_fft//2+1, n_mels) filterbank, exactly the one transformers' WhisperFeatureExtractor uses."""
    from transformers import WhisperFeatureExtractor

    fe = WhisperFeatureExtractor(feature_size=cfg.feature_size, sampling_rate=cfg.sampling_rate,
                                 hop_length=cfg.hop_length, n_fft=cfg.n_fft)
    return torch.from_numpy(fe.mel_filters).float()  # (201, 80)


class LogMel(nn.Module):
    """samples float32 (up to n_samples,) -> log-mel float32 (n_mels, n_samples / hop).

    A shorter input is zero-padded on the right to n_samples inside (traced graphs too), exactly as
    MuseTalk pads the last segment, so a caller that sends the short tail gets the reference mel.
    """

    def __init__(self, cfg: MelConfig = MelConfig(), mel_filters: torch.Tensor | None = None):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("window", torch.hann_window(cfg.n_fft, periodic=True), persistent=True)
        filters = mel_filters if mel_filters is not None else slaney_mel_filters(cfg)
        self.register_buffer("mel_filters", filters.contiguous(), persistent=True)  # (201, 80)

    def forward(self, samples: torch.Tensor) -> torch.Tensor:
        n = self.cfg.n_samples
        if not torch.jit.is_tracing() and (samples.dim() != 1 or not 0 < samples.shape[0] <= n):
            raise ValueError(f"expected samples of shape (L,) with 0 < L <= {n}, got {tuple(samples.shape)}")
        # The padding length is recorded from samples.shape[0] in a trace. new_zeros, not F.pad: a
        # negative F.pad crops silently, while a negative size fails, so a longer input is an error
        # in the traced graph as well.
        samples = samples.float()
        samples = torch.cat([samples, samples.new_zeros(n - samples.shape[0])])  # (n,)
        pad = self.cfg.n_fft // 2
        x = F.pad(samples.reshape(1, 1, -1), (pad, pad), mode="reflect").reshape(-1)  # (n + n_fft,)
        frames = x.unfold(0, self.cfg.n_fft, self.cfg.hop_length)[:-1]  # (3000, 400): last frame dropped
        spec = torch.fft.rfft(frames * self.window, dim=-1)  # (3000, 201) complex
        power = torch.view_as_real(spec).pow(2).sum(-1)  # (3000, 201) |X|^2
        mel = torch.matmul(power, self.mel_filters).transpose(0, 1)  # (80, 3000)
        log_spec = torch.clamp(mel, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
        return (log_spec + 4.0) / 4.0


class WhisperStackedEncoder(nn.Module):
    """log-mel (1, 80, 3000) -> hidden states stacked (1, 1500, 5, 384)."""

    def __init__(self, encoder: nn.Module):
        super().__init__()
        self.encoder = encoder
        # transformers 4.x: forward(hidden_states, attention_mask, layer_head_mask, ...) -> tuple;
        # 5.x: forward(hidden_states, attention_mask, **kwargs) -> tensor. Decided once, here.
        layers = list(encoder.layers)
        self._layer_head_mask = bool(layers) and "layer_head_mask" in inspect.signature(layers[0].forward).parameters

    def _layer(self, layer: nn.Module, x: torch.Tensor) -> torch.Tensor:
        out = layer(x, None, layer_head_mask=None) if self._layer_head_mask else layer(x, None)
        return out[0] if isinstance(out, tuple) else out

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        enc = self.encoder
        if not torch.jit.is_tracing() and mel.shape[-1] != MEL_FRAMES:
            raise ValueError(f"expected mel of length {MEL_FRAMES}, got {tuple(mel.shape)}")
        x = F.gelu(enc.conv1(mel))  # (1, 384, 3000)
        x = F.gelu(enc.conv2(x)).permute(0, 2, 1)  # (1, 1500, 384)
        x = x + enc.embed_positions.weight[: x.shape[1]]  # (1, 1500, 384)
        states = [x]
        for i, layer in enumerate(enc.layers):
            x = self._layer(layer, x)
            states.append(enc.layer_norm(x) if i == len(enc.layers) - 1 else x)
        return torch.stack(states, dim=2)  # (1, 1500, layers+1, 384)


def _encoder_config(whisper_dir: Path):
    from transformers import WhisperConfig

    cfg = WhisperConfig.from_pretrained(str(whisper_dir))
    cfg._attn_implementation = "eager"  # plain matmul/softmax: traces to ops libtorch 2.7.1 has
    return cfg


def build_whisper_encoder(whisper_dir: str | Path) -> nn.Module:
    """transformers' WhisperEncoder built from config.json, weights untouched (random init)."""
    from transformers.models.whisper.modeling_whisper import WhisperEncoder

    return WhisperEncoder(_encoder_config(Path(whisper_dir))).eval()


def whisper_weights_file(whisper_dir: str | Path) -> Path:
    d = Path(whisper_dir)
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (d / name).is_file():
            return d / name
    raise WeightLoadError(f"{d}: neither model.safetensors nor pytorch_model.bin found")


# Published checkpoints carry the whole seq2seq model: WhisperForConditionalGeneration saves
# "model.encoder.*", WhisperModel saves "encoder.*". Only the encoder is kept; decoder.* and
# proj_out.* are dropped by name.
ENCODER_PREFIXES = ("model.encoder.", "encoder.")
DROPPED_PREFIXES = ("model.decoder.", "decoder.", "proj_out.")


@torch.no_grad()
def load_whisper_encoder(whisper_dir: str | Path) -> nn.Module:
    enc = build_whisper_encoder(whisper_dir)
    path = whisper_weights_file(whisper_dir)
    state = read_state_dict(path)
    enc_state, origin, others = {}, {}, []
    for k, v in state.items():
        prefix = next((p for p in ENCODER_PREFIXES if k.startswith(p)), None)
        if prefix is not None:
            name = k[len(prefix):]
            if name in enc_state:  # e.g. both model.encoder.X and encoder.X: which one is meant is unknowable
                raise WeightLoadError(f"{path}: keys {origin[name]!r} and {k!r} are both the encoder's {name!r}")
            enc_state[name] = v
            origin[name] = k
        elif not k.startswith(DROPPED_PREFIXES):
            others.append(k)
    if others:
        raise WeightLoadError(f"{path}: keys that are neither encoder nor decoder: {sorted(others)[:12]}")
    expected = {k: v.shape for k, v in enc.state_dict().items()}
    check_state_dict(expected, enc_state, f"{path} (encoder.*)")
    enc.load_state_dict(enc_state, strict=True)
    return enc.eval()


class WhisperFeatures(nn.Module):
    """One 30 s segment: samples float32 (up to 480000,) -> (1500, 5, 384). Zero-padding and mel inside, in float32."""

    def __init__(self, mel: LogMel, encoder: nn.Module):
        super().__init__()
        self.mel = mel
        self.stacked = WhisperStackedEncoder(encoder)

    def forward(self, samples: torch.Tensor) -> torch.Tensor:
        mel = self.mel(samples).unsqueeze(0)  # (1, 80, 3000) float32
        dtype = self.stacked.encoder.conv1.weight.dtype
        return self.stacked(mel.to(dtype))[0]  # (1500, 5, 384); MuseTalk casts the mel to the model dtype


def load_whisper_features(whisper_dir: str | Path) -> WhisperFeatures:
    d = Path(whisper_dir)
    pre = d / "preprocessor_config.json"
    mel_cfg = MelConfig.from_json(pre) if pre.is_file() else MelConfig()
    return WhisperFeatures(LogMel(mel_cfg), load_whisper_encoder(d)).eval()


@torch.no_grad()
def clip_features(model: WhisperFeatures, samples: torch.Tensor) -> torch.Tensor:
    """A whole clip (L,) -> (1, 1500*S, 5, 384): 30 s segments, the last zero-padded on the right."""
    n = model.mel.cfg.n_samples
    outs = []
    for start in range(0, max(len(samples), 1), n):
        seg = samples[start:start + n]
        seg = F.pad(seg, (0, n - seg.shape[0]))
        outs.append(model(seg))
    return torch.cat(outs, dim=0).unsqueeze(0)
