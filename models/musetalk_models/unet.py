"""MuseTalk 1.5 UNet: diffusers' UNet2DConditionModel layout, built from a musetalk.json config.

Reference: diffusers 0.30.2 `models/unets/unet_2d_condition.py`, `unet_2d_blocks.py`
(CrossAttnDownBlock2D, DownBlock2D, UNetMidBlock2DCrossAttn, UpBlock2D, CrossAttnUpBlock2D),
`models/transformers/transformer_2d.py` (Transformer2DModel, conv proj_in/proj_out),
`models/attention.py` (BasicTransformerBlock, FeedForward, GEGLU), `models/embeddings.py`
(Timesteps, TimestepEmbedding). Module names are the checkpoint keys of `musetalkV15/unet.pth`.

Quirk kept for fidelity: the config says `attention_head_dim: 8` and no `num_attention_heads`;
diffusers reads that number as the HEAD COUNT (8 heads of width channels/8 = 40/80/160/160).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from .configs import check_block_types, parse_config, read_json
from .layers import Downsample2D, ResnetBlock2D, Upsample2D, attention
from .weights import load_into, read_state_dict


@dataclass
class UNetConfig:
    in_channels: int = 8  # 4 masked-crop latent + 4 reference latent channels
    out_channels: int = 4
    block_out_channels: tuple[int, ...] = (320, 640, 1280, 1280)
    down_block_types: tuple[str, ...] = ("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",)
    up_block_types: tuple[str, ...] = ("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3
    layers_per_block: int = 2
    attention_head_dim: int = 8  # read as the number of heads (see module docstring)
    cross_attention_dim: int = 384  # whisper-tiny d_model
    norm_num_groups: int = 32
    norm_eps: float = 1e-5
    flip_sin_to_cos: bool = True
    freq_shift: float = 0.0
    downsample_padding: int = 1
    mid_block_scale_factor: float = 1.0
    act_fn: str = "silu"
    center_input_sample: bool = False
    extra: dict = field(default_factory=dict)  # keys of the json we do not use (sample_size, ...)

    @classmethod
    def from_json(cls, path: str | Path) -> "UNetConfig":
        return cls.from_dict(read_json(path), source=str(path))

    @classmethod
    def from_dict(cls, raw: dict, source: str = "config") -> "UNetConfig":
        cfg = parse_config(cls, raw, source, "UNet2DConditionModel")
        unsupported = {
            "num_attention_heads": None, "use_linear_projection": False, "only_cross_attention": False,
            "dual_cross_attention": False, "upcast_attention": False, "class_embed_type": None,
            "addition_embed_type": None, "time_embedding_type": "positional",
            "resnet_time_scale_shift": "default", "transformer_layers_per_block": 1,
            "encoder_hid_dim": None, "mid_block_type": "UNetMidBlock2DCrossAttn",
        }
        for key, default in unsupported.items():
            if key in cfg.extra and cfg.extra[key] != default:
                raise ValueError(f"{source}: {key}={cfg.extra[key]!r} is not supported (only {default!r})")
        if cfg.center_input_sample:
            raise ValueError(f"{source}: center_input_sample=true is not supported")
        check_block_types(source, "down block", cfg.down_block_types, ("CrossAttnDownBlock2D", "DownBlock2D"))
        check_block_types(source, "up block", cfg.up_block_types, ("CrossAttnUpBlock2D", "UpBlock2D"))
        return cfg


def timestep_embedding(t: torch.Tensor, index: torch.Tensor, flip_sin_to_cos: bool, shift: float) -> torch.Tensor:
    """diffusers get_timestep_embedding: t (B,), index = arange(dim // 2) -> (B, dim).

    `index` comes from a buffer, not torch.arange here: a traced arange would pin the graph to the
    device it was traced on.
    """
    half = index.shape[0]
    exponent = -math.log(10000) * index.to(torch.float32) / (half - shift)
    emb = t[:, None].float() * torch.exp(exponent)[None, :]  # (B, half)
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
    if flip_sin_to_cos:
        emb = torch.cat([emb[:, half:], emb[:, :half]], dim=-1)
    return emb


class TimestepEmbedding(nn.Module):
    def __init__(self, in_dim: int, dim: int):
        super().__init__()
        self.linear_1 = nn.Linear(in_dim, dim)
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_2(F.silu(self.linear_1(x)))


class CrossAttention(nn.Module):
    """diffusers Attention with bias-free q/k/v and a biased output projection."""

    def __init__(self, query_dim: int, heads: int, head_dim: int, context_dim: int | None = None):
        super().__init__()
        inner = heads * head_dim
        context_dim = context_dim or query_dim
        self.heads = heads
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim, inner, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(inner, query_dim), nn.Dropout(0.0)])

    def forward(self, x: torch.Tensor, context: torch.Tensor | None = None) -> torch.Tensor:
        context = x if context is None else context  # (B, M, Cctx)
        out = attention(self.to_q(x), self.to_k(context), self.to_v(context), self.heads)  # (B, N, inner)
        return self.to_out[0](out)


class GEGLU(nn.Module):
    def __init__(self, dim: int, inner: int):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden, gate = self.proj(x).chunk(2, dim=-1)  # (B, N, inner) each
        return hidden * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim: int, mult: int = 4):
        super().__init__()
        # keys ff.net.0.proj / ff.net.2: index 1 is a (parameter-free) dropout
        self.net = nn.ModuleList([GEGLU(dim, dim * mult), nn.Dropout(0.0), nn.Linear(dim * mult, dim)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net[2](self.net[0](x))


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim: int, heads: int, head_dim: int, context_dim: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn1 = CrossAttention(dim, heads, head_dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        self.attn2 = CrossAttention(dim, heads, head_dim, context_dim)
        self.norm3 = nn.LayerNorm(dim, eps=1e-5)
        self.ff = FeedForward(dim)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        x = self.attn1(self.norm1(x)) + x  # self-attention over the H*W latent positions
        x = self.attn2(self.norm2(x), context) + x  # cross-attention to the 50 audio tokens
        return self.ff(self.norm3(x)) + x


class Transformer2DModel(nn.Module):
    """GroupNorm, 1x1 conv in, one BasicTransformerBlock over H*W tokens, 1x1 conv out, residual."""

    def __init__(self, channels: int, heads: int, context_dim: int, groups: int):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=1e-6, affine=True)
        self.proj_in = nn.Conv2d(channels, channels, 1)
        self.transformer_blocks = nn.ModuleList([BasicTransformerBlock(channels, heads, channels // heads, context_dim)])
        self.proj_out = nn.Conv2d(channels, channels, 1)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        hs = self.proj_in(self.norm(x))
        hs = hs.permute(0, 2, 3, 1).reshape(b, h * w, c)  # (B, HW, C)
        for block in self.transformer_blocks:
            hs = block(hs, context)
        hs = hs.reshape(b, h, w, c).permute(0, 3, 1, 2)  # (B, C, H, W)
        return self.proj_out(hs) + x


class DownBlock(nn.Module):
    """CrossAttnDownBlock2D (with_attention) or DownBlock2D."""

    def __init__(self, cfg: UNetConfig, in_ch: int, out_ch: int, temb: int, with_attention: bool, add_downsample: bool):
        super().__init__()
        n = cfg.layers_per_block
        self.resnets = nn.ModuleList([ResnetBlock2D(in_ch if i == 0 else out_ch, out_ch, temb, cfg.norm_num_groups, cfg.norm_eps)
                                      for i in range(n)])
        self.attentions = (nn.ModuleList([Transformer2DModel(out_ch, cfg.attention_head_dim, cfg.cross_attention_dim, cfg.norm_num_groups)
                                          for _ in range(n)]) if with_attention else None)
        self.downsamplers = nn.ModuleList([Downsample2D(out_ch, cfg.downsample_padding)]) if add_downsample else None

    def forward(self, x: torch.Tensor, temb: torch.Tensor, context: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        skips = []
        for i, resnet in enumerate(self.resnets):
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
            skips.append(x)
        if self.downsamplers is not None:
            x = self.downsamplers[0](x)
            skips.append(x)
        return x, skips


class UpBlock(nn.Module):
    """CrossAttnUpBlock2D (with_attention) or UpBlock2D: each resnet eats one skip connection."""

    def __init__(self, cfg: UNetConfig, in_ch: int, prev_out: int, out_ch: int, temb: int, with_attention: bool, add_upsample: bool):
        super().__init__()
        n = cfg.layers_per_block + 1
        resnets = []
        for i in range(n):
            skip_ch = in_ch if i == n - 1 else out_ch
            res_in = prev_out if i == 0 else out_ch
            resnets.append(ResnetBlock2D(res_in + skip_ch, out_ch, temb, cfg.norm_num_groups, cfg.norm_eps))
        self.resnets = nn.ModuleList(resnets)
        self.attentions = (nn.ModuleList([Transformer2DModel(out_ch, cfg.attention_head_dim, cfg.cross_attention_dim, cfg.norm_num_groups)
                                          for _ in range(n)]) if with_attention else None)
        self.upsamplers = nn.ModuleList([Upsample2D(out_ch)]) if add_upsample else None

    def forward(self, x: torch.Tensor, skips: list[torch.Tensor], temb: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        for i, resnet in enumerate(self.resnets):
            x = torch.cat([x, skips.pop()], dim=1)  # (B, C + Cskip, H, W)
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x)
        return x


class MidBlock(nn.Module):
    """UNetMidBlock2DCrossAttn: resnet, (attention, resnet)."""

    def __init__(self, cfg: UNetConfig, ch: int, temb: int):
        super().__init__()
        self.attentions = nn.ModuleList([Transformer2DModel(ch, cfg.attention_head_dim, cfg.cross_attention_dim, cfg.norm_num_groups)])
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, temb, cfg.norm_num_groups, cfg.norm_eps, cfg.mid_block_scale_factor)
                                      for _ in range(2)])

    def forward(self, x: torch.Tensor, temb: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        x = self.resnets[0](x, temb)
        return self.resnets[1](self.attentions[0](x, context), temb)


class UNet2DConditionModel(nn.Module):
    def __init__(self, cfg: UNetConfig):
        super().__init__()
        self.config = cfg
        ch = cfg.block_out_channels
        temb = ch[0] * 4
        self.conv_in = nn.Conv2d(cfg.in_channels, ch[0], 3, padding=1)
        self.time_embedding = TimestepEmbedding(ch[0], temb)
        # int64 so .half() leaves it alone; not persistent, so the state-dict keys stay the checkpoint's
        self.register_buffer("time_proj_index", torch.arange(ch[0] // 2), persistent=False)
        self.down_blocks = nn.ModuleList()
        out_ch = ch[0]
        for i, kind in enumerate(cfg.down_block_types):
            in_ch, out_ch = out_ch, ch[i]
            self.down_blocks.append(DownBlock(cfg, in_ch, out_ch, temb, kind == "CrossAttnDownBlock2D", i < len(ch) - 1))
        self.mid_block = MidBlock(cfg, ch[-1], temb)
        rev = list(reversed(ch))
        self.up_blocks = nn.ModuleList()
        out_ch = rev[0]
        for i, kind in enumerate(cfg.up_block_types):
            prev_out, out_ch = out_ch, rev[i]
            in_ch = rev[min(i + 1, len(ch) - 1)]
            self.up_blocks.append(UpBlock(cfg, in_ch, prev_out, out_ch, temb, kind == "CrossAttnUpBlock2D", i < len(ch) - 1))
        self.conv_norm_out = nn.GroupNorm(cfg.norm_num_groups, ch[0], eps=cfg.norm_eps)
        self.conv_out = nn.Conv2d(ch[0], cfg.out_channels, 3, padding=1)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        """sample (B, in_channels, H, W), timestep (1,) or (B,) int64, encoder_hidden_states (B, M, 384) -> (B, out_channels, H, W)."""
        t = timestep.reshape(-1).expand(sample.shape[0])  # (B,)
        t_emb = timestep_embedding(t, self.time_proj_index, self.config.flip_sin_to_cos, self.config.freq_shift)
        emb = self.time_embedding(t_emb.to(sample.dtype))  # (B, 4*C0)
        x = self.conv_in(sample)
        skips = [x]
        for block in self.down_blocks:
            x, block_skips = block(x, emb, encoder_hidden_states)
            skips.extend(block_skips)
        x = self.mid_block(x, emb, encoder_hidden_states)
        for block in self.up_blocks:
            n = len(block.resnets)
            block_skips, skips = skips[-n:], skips[:-n]
            x = block(x, block_skips, emb, encoder_hidden_states)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


def load_unet(config_path: str | Path, weights_path: str | Path) -> UNet2DConditionModel:
    """Builds the UNet from musetalk.json and strictly loads unet.pth / unet.safetensors."""
    model = UNet2DConditionModel(UNetConfig.from_json(config_path))
    load_into(model, read_state_dict(weights_path), str(weights_path))
    return model.eval()
