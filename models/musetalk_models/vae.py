"""sd-vae-ft-mse AutoencoderKL (encoder, decoder, quant_conv, post_quant_conv), built from its config.json.

Reference: diffusers 0.30.2 `models/autoencoders/autoencoder_kl.py`, `models/autoencoders/vae.py`
(Encoder, Decoder, DiagonalGaussianDistribution), `unet_2d_blocks.py` (DownEncoderBlock2D,
UpDecoderBlock2D, UNetMidBlock2D). Module names are the keys of `diffusion_pytorch_model.bin`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from .configs import check_block_types, parse_config, read_json
from .layers import Downsample2D, ResnetBlock2D, SpatialSelfAttention, Upsample2D
from .weights import Rename, apply_renames, load_into, read_state_dict

# sd-vae-ft-mse's config has no scaling_factor, so diffusers' default applies (MuseTalk reads it from there).
DEFAULT_SCALING_FACTOR = 0.18215

# Checkpoints saved before diffusers 0.14 name the mid-block attention query/key/value/proj_attn;
# diffusers renames them on load (`_convert_deprecated_attention_blocks`). We do the same, and
# nothing else. Old 1x1-conv-shaped weights (C, C, 1, 1) are squeezed to Linear (C, C).
DEPRECATED_ATTENTION_RENAMES = (
    Rename("mid_block.attentions.0.query.", "mid_block.attentions.0.to_q.", "pre-0.14 diffusers name"),
    Rename("mid_block.attentions.0.key.", "mid_block.attentions.0.to_k.", "pre-0.14 diffusers name"),
    Rename("mid_block.attentions.0.value.", "mid_block.attentions.0.to_v.", "pre-0.14 diffusers name"),
    Rename("mid_block.attentions.0.proj_attn.", "mid_block.attentions.0.to_out.0.", "pre-0.14 diffusers name"),
)


@dataclass
class VAEConfig:
    in_channels: int = 3
    out_channels: int = 3
    latent_channels: int = 4
    block_out_channels: tuple[int, ...] = (128, 256, 512, 512)
    layers_per_block: int = 2
    norm_num_groups: int = 32
    act_fn: str = "silu"
    scaling_factor: float = DEFAULT_SCALING_FACTOR
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, path: str | Path) -> "VAEConfig":
        return cls.from_dict(read_json(path), source=str(path))

    @classmethod
    def from_dict(cls, raw: dict, source: str = "config") -> "VAEConfig":
        cfg = parse_config(cls, raw, source, "AutoencoderKL")
        check_block_types(source, "down block", raw.get("down_block_types", []), ("DownEncoderBlock2D",))
        check_block_types(source, "up block", raw.get("up_block_types", []), ("UpDecoderBlock2D",))
        return cfg


class MidBlock(nn.Module):
    """UNetMidBlock2D with one attention: resnet, attention, resnet."""

    def __init__(self, ch: int, groups: int):
        super().__init__()
        self.attentions = nn.ModuleList([SpatialSelfAttention(ch, groups)])
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, None, groups) for _ in range(2)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.resnets[1](self.attentions[0](self.resnets[0](x)))


class EncoderBlock(nn.Module):
    """DownEncoderBlock2D."""

    def __init__(self, in_ch: int, out_ch: int, n: int, groups: int, add_downsample: bool):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(in_ch if i == 0 else out_ch, out_ch, None, groups) for i in range(n)])
        self.downsamplers = nn.ModuleList([Downsample2D(out_ch, padding=0)]) if add_downsample else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for r in self.resnets:
            x = r(x)
        return self.downsamplers[0](x) if self.downsamplers is not None else x


class DecoderBlock(nn.Module):
    """UpDecoderBlock2D."""

    def __init__(self, in_ch: int, out_ch: int, n: int, groups: int, add_upsample: bool):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(in_ch if i == 0 else out_ch, out_ch, None, groups) for i in range(n)])
        self.upsamplers = nn.ModuleList([Upsample2D(out_ch)]) if add_upsample else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for r in self.resnets:
            x = r(x)
        return self.upsamplers[0](x) if self.upsamplers is not None else x


class Encoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        ch, g = cfg.block_out_channels, cfg.norm_num_groups
        self.conv_in = nn.Conv2d(cfg.in_channels, ch[0], 3, padding=1)
        self.down_blocks = nn.ModuleList(
            [EncoderBlock(ch[max(i - 1, 0)], ch[i], cfg.layers_per_block, g, i < len(ch) - 1) for i in range(len(ch))])
        self.mid_block = MidBlock(ch[-1], g)
        self.conv_norm_out = nn.GroupNorm(g, ch[-1], eps=1e-6)
        self.conv_out = nn.Conv2d(ch[-1], 2 * cfg.latent_channels, 3, padding=1)  # double_z: mean and logvar

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_in(x)  # (B, C0, 256, 256)
        for block in self.down_blocks:
            x = block(x)  # last: (B, C3, 32, 32)
        x = self.mid_block(x)
        return self.conv_out(F.silu(self.conv_norm_out(x)))  # (B, 2*latent, 32, 32)


class Decoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        rev, g = list(reversed(cfg.block_out_channels)), cfg.norm_num_groups
        self.conv_in = nn.Conv2d(cfg.latent_channels, rev[0], 3, padding=1)
        self.mid_block = MidBlock(rev[0], g)
        self.up_blocks = nn.ModuleList(
            [DecoderBlock(rev[max(i - 1, 0)], rev[i], cfg.layers_per_block + 1, g, i < len(rev) - 1) for i in range(len(rev))])
        self.conv_norm_out = nn.GroupNorm(g, rev[-1], eps=1e-6)
        self.conv_out = nn.Conv2d(rev[-1], cfg.out_channels, 3, padding=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.mid_block(self.conv_in(z))  # (B, C3, 32, 32)
        for block in self.up_blocks:
            x = block(x)  # last: (B, C0, 256, 256)
        return self.conv_out(F.silu(self.conv_norm_out(x)))  # (B, 3, 256, 256) in about [-1, 1]


class AutoencoderKL(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        self.config = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
        self.quant_conv = nn.Conv2d(2 * cfg.latent_channels, 2 * cfg.latent_channels, 1)
        self.post_quant_conv = nn.Conv2d(cfg.latent_channels, cfg.latent_channels, 1)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, 3, H, W) RGB in [-1, 1] -> posterior mean, logvar (B, latent, H/8, W/8), unscaled."""
        moments = self.quant_conv(self.encoder(x))
        mean, logvar = moments.chunk(2, dim=1)
        return mean, torch.clamp(logvar, -30.0, 20.0)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z (B, latent, h, w) unscaled -> (B, 3, 8h, 8w) RGB in about [-1, 1]."""
        return self.decoder(self.post_quant_conv(z))


def _squeeze_conv_attention(key: str, value: torch.Tensor) -> torch.Tensor:
    # only the (C, C, 1, 1) conv form of the same Linear; any other 4-D shape is left for the strict
    # shape check to reject (slicing a 3x3 kernel would silently load a different network)
    if (".mid_block.attentions.0.to_" in key and key.endswith(".weight") and value.dim() == 4
            and value.shape[0] == value.shape[1] and tuple(value.shape[2:]) == (1, 1)):
        return value[:, :, 0, 0]
    return value


def convert_vae_state_dict(state: dict[str, torch.Tensor], source: str = "checkpoint") -> dict[str, torch.Tensor]:
    return apply_renames(state, DEPRECATED_ATTENTION_RENAMES, _squeeze_conv_attention, source)


def load_vae(config_path: str | Path, weights_path: str | Path) -> AutoencoderKL:
    model = AutoencoderKL(VAEConfig.from_json(config_path))
    state = read_state_dict(weights_path)
    renamed = any(r.old in k for k in state for r in DEPRECATED_ATTENTION_RENAMES)
    load_into(model, convert_vae_state_dict(state, str(weights_path)), str(weights_path),
              DEPRECATED_ATTENTION_RENAMES if renamed else ())
    return model.eval()
