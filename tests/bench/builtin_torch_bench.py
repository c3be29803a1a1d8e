#!/usr/bin/env python3
"""PyTorch's side of `build-aux/dev bench` for the built-in network: the
same evaluation as `ns-bench builtin` (forward through the five levels,
the Gram style loss of each, the level-3 content loss, backward to the
input) in float32 on CPU with the same thread count.  The network is
tests/reference/builtin_reference.py's, turned from float64 to float32.
Prints "torch_s=… torch_rss_mb=…".

    python3 builtin_torch_bench.py SIZE ITERATIONS THREADS
"""
import os
import sys

import torch

from torch_timing import time_and_report

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import builtin_reference as ref  # noqa: E402  (sets float64 as the default)


def to_float32():
    torch.set_default_dtype(torch.float32)
    for name in ("MEAN", "STD", "KERNELS", "BLUR"):
        setattr(ref, name, getattr(ref, name).float())


def main(size, iterations, threads):
    to_float32()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with torch.no_grad():
        fs = ref.features(torch.rand(3, size, size))
        fc = ref.features(torch.rand(3, size, size))
    x = torch.rand(3, size, size, requires_grad=True)

    def evaluate():
        fx = ref.features(x)
        loss = ref.content_loss(fx, fc) + 5 * ref.style_loss(fx, fs)
        x.grad = None
        loss.backward()
        assert x.grad.dtype == torch.float32

    time_and_report(evaluate, iterations)

if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
