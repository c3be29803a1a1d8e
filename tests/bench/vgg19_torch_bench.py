#!/usr/bin/env python3
"""PyTorch's side of build-aux/dev bench: the same iteration as ns-bench
vgg19 (VGG19 conv stack with random weights, forward to relu5_1, 5 Gram
style losses + the relu4_2 content loss, backward to the input), on CPU with
the same thread count.  Prints "torch_s=… torch_rss_mb=…".

    python3 vgg19_torch_bench.py SIZE ITERATIONS THREADS
"""
import sys

import torch
import torch.nn.functional as F

from torch_timing import time_and_report

CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512]
STYLE = [0, 2, 4, 8, 12]       # relu1_1 relu2_1 relu3_1 relu4_1 relu5_1
CONTENT = 9                    # relu4_2


def main(size, iterations, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    convs, cin = [], 3
    for v in CFG:
        if v != "M":
            convs.append((torch.randn(v, cin, 3, 3) * (2.0 / (cin * 9)) ** 0.5, torch.zeros(v)))
            cin = v

    def features(x):
        out, h, i = {}, x, 0
        for v in CFG:
            if v == "M":
                h = F.max_pool2d(h, 2)
                continue
            h = F.relu(F.conv2d(h, convs[i][0], convs[i][1], padding=1))
            out[i] = h
            i += 1
        return out

    def gram(f):
        _, c, hh, ww = f.shape
        m = f.reshape(c, hh * ww)
        return m @ m.T / (hh * ww)

    style = torch.rand(1, 3, size, size)
    with torch.no_grad():
        fs = features(style)
        targets = {i: gram(fs[i]) for i in STYLE}
        content = fs[CONTENT].clone()
    x = torch.rand(1, 3, size, size, requires_grad=True)

    def evaluate():
        f = features(x)
        ls = sum(((gram(f[i]) - targets[i]) ** 2).sum() / (targets[i] ** 2).sum() for i in STYLE) / 5
        lc = ((f[CONTENT] - content) ** 2).sum() / (content ** 2).sum()
        x.grad = None
        (lc + 5 * ls).backward()

    time_and_report(evaluate, iterations)

if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
