#!/usr/bin/env python3
"""Reference values for the built-in network, computed by PyTorch.

Writes tests/data/builtin-reference.bin, which test-reference checks the C
core against.  The network is written here again from its recipe (the core
is not consulted), in float64 so that the reference is more exact than the
float32 code it judges.  Run by hand inside the Debian 13 root, where
python3-torch can be installed; CI only reads the committed output:

    build-aux/dev run sh -c 'apt-get install -y python3-torch && \
        python3 tests/reference/builtin_reference.py tests/data/builtin-reference.bin'

File format: a sequence of arrays, each int32 ndim, int32 dims[ndim], then
float32 values (little endian, row-major), in the order written by main().
"""
import math
import struct
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
LEVELS = 5


def pattern(width, height, phase):
    """The same formula as ns_test_pattern_image (stored anyway)."""
    img = torch.empty(3, height, width)
    for c in range(3):
        for y in range(height):
            for x in range(width):
                img[c, y, x] = (0.5 + 0.3 * math.sin(0.9 * x + 0.5 * y + 1.7 * c + phase)
                                + 0.15 * math.cos(0.31 * x * y + c + 2.0 * phase))
    return img.float().double()       # the C side holds float32 inputs


def reflect_index(n, pad):
    """Indices of a mirror padding that does not repeat the edge, folded as
    often as needed (any n >= 1)."""
    out = []
    for i in range(-pad, n + pad):
        if n == 1:
            out.append(0)
            continue
        period = 2 * (n - 1)
        j = i % period
        out.append(j if j < n else period - j)
    return torch.tensor(out)


def reflect_pad(t, pad):
    _, h, w = t.shape
    t = t.index_select(1, reflect_index(h, pad))
    return t.index_select(2, reflect_index(w, pad))


def gabor_kernels():
    kernels = []
    r = torch.arange(-3, 4, dtype=torch.float64)
    y, x = torch.meshgrid(r, r, indexing="ij")
    env = torch.exp(-(x ** 2 + y ** 2) / 4.5)
    for o in range(4):
        theta = o * math.pi / 4
        u = x * math.cos(theta) + y * math.sin(theta)
        even = env * torch.cos(math.pi * u / 2)
        even = even - env * (even.sum() / env.sum())
        odd = env * torch.sin(math.pi * u / 2)
        kernels += [even / even.norm(), odd / odd.norm()]
    return torch.stack(kernels)            # 8 x 7 x 7


KERNELS = gabor_kernels()
BLUR = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16


def blur_down(h):
    p = reflect_pad(h, 2).unsqueeze(0)
    kx = BLUR.view(1, 1, 1, 5).repeat(3, 1, 1, 1)
    ky = BLUR.view(1, 1, 5, 1).repeat(3, 1, 1, 1)
    p = F.conv2d(p, kx, stride=(1, 2), groups=3)
    p = F.conv2d(p, ky, stride=(2, 1), groups=3)
    return p[0, :, :, :]


def level_features(h):
    p = reflect_pad(h, 3).unsqueeze(0)
    weight = KERNELS.unsqueeze(1).repeat(3, 1, 1, 1)   # 24 x 1 x 7 x 7, c * 8 + k
    r = 2 * F.conv2d(p, weight, groups=3)[0]
    return torch.cat([F.relu(r), F.relu(-r), F.relu(h), F.relu(-h)])


def features(x):
    h = (x - MEAN) / STD
    out = []
    for level in range(LEVELS):
        out.append(level_features(h))
        if level + 1 < LEVELS:
            h = blur_down(h)
    return out


def gram(f):
    c, hh, ww = f.shape
    m = f.reshape(c, hh * ww)
    return m @ m.T / (hh * ww)


def style_loss(fx, fs):
    total = 0
    for a, b in zip(fx, fs):
        ga, gb = gram(a), gram(b)
        total = total + ((ga - gb) ** 2).sum() / (gb ** 2).sum()
    return total / len(fx)


def content_loss(fx, fc, level=3):
    return ((fx[level] - fc[level]) ** 2).sum() / (fc[level] ** 2).sum()


def projection(level, n):
    return torch.tensor([math.cos(0.37 * i + level) for i in range(n)]).float().double()


def write(out, t):
    t = t.detach().float().contiguous()
    out.write(struct.pack("<i", t.dim()))
    out.write(struct.pack("<%di" % t.dim(), *t.shape))
    out.write(struct.pack("<%df" % t.numel(), *t.flatten().tolist()))


def main(path):
    x = pattern(13, 16, 0.3).requires_grad_(True)
    s = pattern(15, 14, 2.0)
    c = pattern(13, 16, 1.1)
    fx = features(x)
    fs = [f.detach() for f in features(s)]
    fc = [f.detach() for f in features(c)]

    with open(path, "wb") as out:
        for t in (x, s, c):
            write(out, t)
        for f in fx:                                   # features, 5 levels
            write(out, f)
        proj = sum((f.flatten() * projection(l, f.numel())).sum() for l, f in enumerate(fx))
        (g,) = torch.autograd.grad(proj, x, retain_graph=True)
        write(out, g)                                  # d(sum R_l F_l)/dx
        ls = style_loss(fx, fs)
        (g,) = torch.autograd.grad(ls, x, retain_graph=True)
        write(out, ls.reshape(1))
        write(out, g)                                  # d Ls / dx
        lc = content_loss(fx, fc)
        (g,) = torch.autograd.grad(lc + 5 * ls, x)
        write(out, lc.reshape(1))
        write(out, g)                                  # d (Lc + 5 Ls) / dx
    print("wrote", path, "style loss %.6g content loss %.6g" % (ls.item(), lc.item()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/builtin-reference.bin")
