"""Wraps an exported unet.pt so that every call blocks INSIDE the graph (in libtorch, where no Java
interrupt reaches) until the test releases it: the call writes 1 into <started> (a one-byte file,
mapped shared) and then spins until the first of <release>'s two bytes is non-zero, then runs the
real unet. Used
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
        # The flag's value feeds the loop, so the in-place write cannot be dropped as dead code; the
        # read size changes per turn, so the read cannot be hoisted out of the loop as invariant.
        mark = int(torch.from_file(self.started, shared=True, size=1, dtype=torch.uint8).fill_(1)[0])
        spins = 0
        while mark == 1 and int(torch.from_file(self.release, shared=False, size=1 + spins % 2,
                                                dtype=torch.uint8)[0]) == 0:
            spins += 1
        return self.inner(latents, audio)


def main():
    good, out, started, release = sys.argv[1:5]
    inner = torch.jit.load(good)
    torch.jit.script(BlockingUnet(inner, started, release)).save(out)


if __name__ == "__main__":
    main()
