"""The exported graphs: each network wrapped with the pre/post-processing MuseTalk does around it,
so that Java only moves raw tensors (uint8 images, float samples) in and out.

Contract (B = export batch; float = float32 for fp32 graphs, float16 for fp16 graphs):
  unet.pt        (latents float[B,8,32,32], audio float[B,50,384] before PE) -> float[B,4,32,32]
  vae_decode.pt  (latents float[B,4,32,32], scaled as the UNet outputs them) -> uint8[B,256,256,3] BGR
  vae_encode.pt  (crops uint8[B,256,256,3] BGR, half_mask float32[B]) -> float[B,4,32,32] = mean * 0.18215
  whisper.pt     (samples float32[L], L <= 480000, zero-padded to 480000 inside) -> float[1500,5,384]
  whisper_mel.pt (samples float32[L], L <= 480000, zero-padded to 480000 inside) -> float32[80,3000]
  bisenet.pt     (input float[B,3,512,512] ImageNet-normalised RGB) -> float[B,19,512,512]
"""
from __future__ import annotations

import torch
from torch import nn

from .audio_windows import positional_encoding
from .bisenet import BiSeNet
from .unet import UNet2DConditionModel
from .vae import AutoencoderKL
from .whisper import LogMel, WhisperFeatures


class UNetStep(nn.Module):
    """One MuseTalk UNet call: t = 0 and the audio positional encoding are constants inside."""

    def __init__(self, unet: UNet2DConditionModel, audio_tokens: int = 50):
        super().__init__()
        self.unet = unet
        d = unet.config.cross_attention_dim
        self.register_buffer("pe", positional_encoding(audio_tokens, d))  # (50, 384); .half() with the model, as MuseTalk does
        self.register_buffer("timestep", torch.zeros(1, dtype=torch.int64))

    def forward(self, latents: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        """latents (B, 8, 32, 32), audio (B, 50, 384) before PE -> (B, 4, 32, 32)."""
        return self.unet(latents, self.timestep, audio + self.pe)


class VaeDecode(nn.Module):
    """Scaled latents -> uint8 BGR images, as MuseTalk's `decode_latents`."""

    def __init__(self, vae: AutoencoderKL):
        super().__init__()
        self.vae = vae
        self.scaling_factor = float(vae.config.scaling_factor)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        """latents (B, 4, h, w) -> uint8 (B, 8h, 8w, 3) BGR."""
        image = self.vae.decode(latents / self.scaling_factor)  # (B, 3, H, W) RGB ~[-1, 1]
        image = (image / 2 + 0.5).clamp(0, 1)
        image = (image.permute(0, 2, 3, 1).float() * 255).round().to(torch.uint8)  # (B, H, W, 3) RGB
        return image.flip(-1)  # RGB -> BGR


class VaeEncode(nn.Module):
    """uint8 BGR crops -> scaled posterior mean (the deterministic latent; MuseTalk samples, we use the mean)."""

    def __init__(self, vae: AutoencoderKL, size: int = 256):
        super().__init__()
        self.vae = vae
        self.scaling_factor = float(vae.config.scaling_factor)
        rows = (torch.arange(size) >= size // 2).to(torch.float32)  # 1 on rows 128..255
        self.register_buffer("lower_rows", rows)

    def forward(self, crops: torch.Tensor, half_mask: torch.Tensor) -> torch.Tensor:
        """crops uint8 (B, H, W, 3) BGR, half_mask float32 (B,) 1 = lower half masked -> (B, 4, H/8, W/8)."""
        # contiguous NCHW: a channels-last view takes other CPU kernels whose GroupNorm rounding differs
        x = crops.flip(-1).permute(0, 3, 1, 2).contiguous().to(torch.float32) / 255.0  # (B, 3, H, W) RGB in [0, 1]
        keep = 1.0 - half_mask.to(torch.float32)[:, None, None, None] * self.lower_rows.to(torch.float32)[None, None, :, None]
        x = (x * keep - 0.5) / 0.5  # masked rows become -1, as in MuseTalk and its training
        dtype = self.vae.quant_conv.weight.dtype
        mean, _ = self.vae.encode(x.to(dtype))
        return mean * self.scaling_factor


class WhisperMel(nn.Module):
    def __init__(self, mel: LogMel):
        super().__init__()
        self.mel = mel

    def forward(self, samples: torch.Tensor) -> torch.Tensor:
        return self.mel(samples)  # (80, 3000) float32


class BiSeNetLogits(nn.Module):
    def __init__(self, net: BiSeNet):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # (B, 19, 512, 512)


__all__ = ["UNetStep", "VaeDecode", "VaeEncode", "WhisperFeatures", "WhisperMel", "BiSeNetLogits"]
