#!/usr/bin/env python3
"""Reference values for the VGG19 network, computed by PyTorch.

No trained weights can be downloaded here, so this writes a VGG19-shaped
network with random weights and reduced channel counts (the layer structure,
names and shapes are torchvision's), a tiny input, and PyTorch's features,
losses, input gradients and a short Adam run.  Outputs (committed):

  tests/data/vgg19-small.safetensors      F32 weights (+ an ignored classifier)
  tests/data/vgg19-small-f16.safetensors  the same weights stored as F16
  tests/data/vgg19-reference.bin          arrays, format as builtin_reference.py

Run by hand inside the Debian 13 root with python3-torch:
    build-aux/dev run python3 tests/reference/vgg19_reference.py tests/data
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

# Channels from 16 on take the Winograd path in core/ns-winograd.c, below
# that im2col: both are checked, forward and backward.
CFG = [4, 16, "M", 16, 16, "M", 16, 16, 16, 16, "M", 20, 20, 20, 20, "M", 20, 20, 20, 20]
NAMES = ["relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1", "relu3_2", "relu3_3", "relu3_4",
         "relu4_1", "relu4_2", "relu4_3", "relu4_4", "relu5_1", "relu5_2", "relu5_3", "relu5_4"]
STYLE = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
CONTENT = "relu4_2"
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def make_weights():
    """features.N.* in torchvision's numbering, F16-representable values so
    that the F16 file holds exactly the same network."""
    g = torch.Generator().manual_seed(19)
    tensors, index, cin = {}, 0, 3
    for v in CFG:
        if v == "M":
            index += 1
            continue
        w = torch.randn(v, cin, 3, 3, generator=g) * math.sqrt(2.0 / (cin * 9))
        b = torch.randn(v, generator=g) * 0.05
        tensors["features.%d.weight" % index] = w.half().float()
        tensors["features.%d.bias" % index] = b.half().float()
        index += 2
        cin = v
    tensors["classifier.0.weight"] = torch.randn(5, 7, generator=g)
    return tensors


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        if name.startswith("classifier"):
            data, code = t.float().numpy().tobytes(), "F32"
        else:
            data = t.to(dtype).numpy().tobytes() if dtype != torch.bfloat16 else None
            code = {torch.float32: "F32", torch.float16: "F16"}[dtype]
        header[name] = {"dtype": code, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for b in blobs:
            out.write(b)


def features(x, weights, upto):
    """ReLU outputs by name, as torchvision's vgg19().features."""
    out, h, index, conv = {}, (x - MEAN) / STD, 0, 0
    for v in CFG:
        if v == "M":
            h = F.max_pool2d(h, 2)
            index += 1
            continue
        h = F.relu(F.conv2d(h, weights["features.%d.weight" % index],
                            weights["features.%d.bias" % index], padding=1))
        out[NAMES[conv]] = h
        if NAMES[conv] == upto:
            break
        index += 2
        conv += 1
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.T / (h * w)


def pattern(width, height, phase):
    img = torch.empty(1, 3, height, width)
    for c in range(3):
        for y in range(height):
            for x in range(width):
                img[0, c, y, x] = (0.5 + 0.3 * math.sin(0.9 * x + 0.5 * y + 1.7 * c + phase)
                                   + 0.15 * math.cos(0.31 * x * y + c + 2.0 * phase))
    return img


def write(out, t):
    t = t.detach().float().contiguous().reshape(t.shape[1:] if t.dim() == 4 else t.shape)
    out.write(struct.pack("<i", t.dim()))
    out.write(struct.pack("<%di" % t.dim(), *t.shape))
    out.write(struct.pack("<%df" % t.numel(), *t.flatten().tolist()))


def main(folder):
    weights = make_weights()
    write_safetensors(folder + "/vgg19-small.safetensors", weights, torch.float32)
    write_safetensors(folder + "/vgg19-small-f16.safetensors", weights, torch.float16)

    x = pattern(20, 24, 0.3).requires_grad_(True)
    s = pattern(22, 20, 2.0)
    c = pattern(20, 24, 1.1)
    with torch.no_grad():
        fs = features(s, weights, "relu5_1")
        fc = features(c, weights, CONTENT)
    targets = {n: gram(fs[n]) for n in STYLE}

    def losses(img):
        f = features(img, weights, "relu5_1")
        ls = sum(((gram(f[n]) - targets[n]) ** 2).sum() / (targets[n] ** 2).sum()
                 for n in STYLE) / len(STYLE)
        lc = ((f[CONTENT] - fc[CONTENT]) ** 2).sum() / (fc[CONTENT] ** 2).sum()
        return f, ls, lc

    fx, ls, lc = losses(x)
    with open(folder + "/vgg19-reference.bin", "wb") as out:
        for t in (x, s, c):
            write(out, t)
        for n in ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"]:
            write(out, fx[n])
        (g,) = torch.autograd.grad(ls, x, retain_graph=True)
        write(out, ls.reshape(1))
        write(out, g)
        (g,) = torch.autograd.grad(lc + 5 * ls, x)
        write(out, lc.reshape(1))
        write(out, g)

        # Adam, 20 steps from x on the core's objective: losses at clamp (z)
        # plus 10 / N times the squared excursion outside [0, 1].
        z = x.detach().clone().requires_grad_(True)
        opt = torch.optim.Adam([z], lr=0.02)
        trace = []
        for _ in range(20):
            opt.zero_grad()
            zc = z.clamp(0, 1)
            _, ls_z, lc_z = losses(zc)
            total = lc_z + 5 * ls_z + 10.0 / z.numel() * ((z - zc) ** 2).sum()
            trace.append(total.item())
            total.backward()
            opt.step()
        write(out, torch.tensor(trace))
    print("wrote", folder, "style %.6g content %.6g adam %.6g -> %.6g"
          % (ls.item(), lc.item(), trace[0], trace[-1]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data")
