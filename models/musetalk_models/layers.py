"""Building blocks shared by the UNet and the VAE, laid out like diffusers 0.30 so that module
names are the checkpoint keys (`resnets.N.norm1`, `attentions.N.to_q`, `downsamplers.0.conv`, ...).

Reference: diffusers 0.30.2 `models/resnet.py` (ResnetBlock2D), `models/downsampling.py`
(Downsample2D), `models/upsampling.py` (Upsample2D), `models/attention_processor.py`
(Attention + AttnProcessor). Attention is written as plain matmul/softmax (no
`scaled_dot_product_attention`) so the traced graph only uses ops that libtorch 2.7.1 has with
the same schema.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ResnetBlock2D(nn.Module):
    """GroupNorm-SiLU-conv twice, optional time embedding added between, 1x1 shortcut when widths differ."""

    def __init__(self, in_channels: int, out_channels: int, temb_channels: int | None,
                 groups: int = 32, eps: float = 1e-6, output_scale_factor: float = 1.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, in_channels, eps=eps, affine=True)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb_channels, out_channels) if temb_channels is not None else None
        self.norm2 = nn.GroupNorm(groups, out_channels, eps=eps, affine=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None
        self.output_scale_factor = output_scale_factor

    def forward(self, x: torch.Tensor, temb: torch.Tensor | None = None) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))  # (B, Cout, H, W)
        if self.time_emb_proj is not None and temb is not None:
            h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]  # (B, Cout, 1, 1) broadcast
        h = self.conv2(F.silu(self.norm2(h)))
        if self.conv_shortcut is not None:
            x = self.conv_shortcut(x)
        return (x + h) / self.output_scale_factor


class Downsample2D(nn.Module):
    """Strided 3x3 conv. padding=0 (VAE) pads right/bottom by one first, as diffusers does."""

    def __init__(self, channels: int, padding: int):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.padding == 0:
            x = F.pad(x, (0, 1, 0, 1), mode="constant", value=0.0)
        return self.conv(x)  # (B, C, H/2, W/2)


class Upsample2D(nn.Module):
    """Nearest x2 then 3x3 conv."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")  # (B, C, 2H, 2W)
        return self.conv(x)


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, heads: int,
              upcast_softmax: bool = False) -> torch.Tensor:
    """Multi-head attention over (B, N, heads*d) query and (B, M, heads*d) key/value."""
    b, n, inner = q.shape
    m = k.shape[1]
    d = inner // heads
    q = q.reshape(b, n, heads, d).permute(0, 2, 1, 3)  # (B, h, N, d)
    k = k.reshape(b, m, heads, d).permute(0, 2, 3, 1)  # (B, h, d, M)
    v = v.reshape(b, m, heads, d).permute(0, 2, 1, 3)  # (B, h, M, d)
    # Scale q BEFORE the product: unscaled fp16 scores overflow to inf (then NaN after softmax)
    # where diffusers' SDPA / baddbmm(alpha=scale) stay finite.
    scores = torch.matmul(q * (d ** -0.5), k)  # (B, h, N, M)
    if upcast_softmax:
        probs = scores.float().softmax(dim=-1).to(v.dtype)
    else:
        probs = scores.softmax(dim=-1)
    out = torch.matmul(probs, v)  # (B, h, N, d)
    return out.permute(0, 2, 1, 3).reshape(b, n, inner)  # (B, N, heads*d)


class SpatialSelfAttention(nn.Module):
    """The VAE mid-block attention: GroupNorm, one head over all H*W positions, residual.

    Keys: group_norm, to_q, to_k, to_v, to_out.0 (diffusers' converted names; the old
    query/key/value/proj_attn names are renamed by the VAE loader).
    """

    def __init__(self, channels: int, groups: int = 32, eps: float = 1e-6):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, channels, eps=eps, affine=True)
        self.to_q = nn.Linear(channels, channels)
        self.to_k = nn.Linear(channels, channels)
        self.to_v = nn.Linear(channels, channels)
        self.to_out = nn.ModuleList([nn.Linear(channels, channels), nn.Dropout(0.0)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        hs = self.group_norm(x).reshape(b, c, h * w).transpose(1, 2)  # (B, HW, C)
        # diffusers sets upcast_softmax=True for this block
        out = attention(self.to_q(hs), self.to_k(hs), self.to_v(hs), heads=1, upcast_softmax=True)
        out = self.to_out[0](out)  # (B, HW, C)
        out = out.transpose(1, 2).reshape(b, c, h, w)
        return out + x
