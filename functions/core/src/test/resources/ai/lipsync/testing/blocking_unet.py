"""Wraps an exported unet.pt so that every call blocks INSIDE the graph (in libtorch, where no Java
interrupt reaches) until the test releases it: the call writes 1 into <started> (a one-byte file,
mapped shared) and then spins until <release> holds a non-zero byte, then runs the real unet. Used
by the Java tests to close the engine while a batch is in flight.

usage: python3 blocking_unet.py <good unet.pt> <out.pt> <started file> <release file>
"""
import sys

import torch


class BlockingUnet(torch.nn.Module):
    started: str
    release: str

    def __init__(self, inner, started: str, release: str):
        super().__init__()
        self.inner = inner
        self.started = started
        self.release = release

    def forward(self, latents: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        flag = torch.from_file(self.started, shared=True, size=1, dtype=torch.uint8)
        flag.fill_(1)
        spins = 0
        while int(torch.from_file(self.release, shared=False, size=1, dtype=torch.uint8)[0]) == 0:
            spins += 1
        return self.inner(latents, audio)


def main():
    good, out, started, release = sys.argv[1:5]
    inner = torch.jit.load(good)
    torch.jit.script(BlockingUnet(inner, started, release)).save(out)


if __name__ == "__main__":
    main()
