"""Wraps an exported unet.pt so that its FIRST call fails the way libtorch really fails, then
behaves like the real graph: "oom" allocates 1 PiB (libtorch's allocator refuses it), "shape"
multiplies the audio by a matrix of the wrong width. Used by the Java tests to provoke
inference_oom / inference_shape through the real engine and then check that the next session works.

usage: python3 failing_unet.py oom|shape <good unet.pt> <out.pt>
"""
import sys

import torch


class FailingOnce(torch.nn.Module):
    calls: int
    oom: bool

    def __init__(self, inner, oom: bool):
        super().__init__()
        self.inner = inner
        self.calls = 0
        self.oom = oom

    def forward(self, latents: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        if self.calls == 1:
            if self.oom:
                big = torch.empty([1 << 48], dtype=torch.float32)
                return latents[:, :4] + big[0]
            wrong = torch.ones(256, 4)
            return torch.matmul(audio, wrong)
        return self.inner(latents, audio)


def main():
    mode, good, out = sys.argv[1:4]
    inner = torch.jit.load(good)
    torch.jit.script(FailingOnce(inner, mode == "oom")).save(out)


if __name__ == "__main__":
    main()
