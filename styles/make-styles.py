#!/usr/bin/env python3
"""Draws the bundled style images (styles/*.png): the project's own work,
no third-party pictures.  Pure Python (zlib PNG writer), deterministic.

    python3 styles/make-styles.py styles

Each is 256 x 256 RGB: big enough for Gram statistics at the sizes the
plug-in uses, small enough to ship.
"""
import math
import random
import struct
import sys
import zlib

SIZE = 256


def write_png(path, pixels):
    """pixels: SIZE rows of SIZE (r, g, b) floats in 0..1."""
    raw = bytearray()
    for row in pixels:
        raw.append(0)
        for r, g, b in row:
            raw += bytes(max(0, min(255, int(round(c * 255)))) for c in (r, g, b))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
        f.write(chunk(b"IEND", b""))


def canvas(colour):
    return [[list(colour) for _ in range(SIZE)] for _ in range(SIZE)]


def blend(img, x, y, colour, alpha):
    x %= SIZE
    y %= SIZE
    p = img[y][x]
    for i in range(3):
        p[i] += (colour[i] - p[i]) * alpha


def stamp_disc(img, cx, cy, radius, colour, alpha=1.0):
    r = int(radius) + 1
    for y in range(int(cy) - r, int(cy) + r + 1):
        for x in range(int(cx) - r, int(cx) + r + 1):
            d = math.hypot(x - cx, y - cy)
            cover = max(0.0, min(1.0, radius - d + 0.5))   # anti-aliased edge
            if cover > 0:
                blend(img, x, y, colour, alpha * cover)


def flow_angle(x, y, seed):
    """A smooth swirling direction field."""
    return (math.sin(x * 0.021 + seed) * 1.7 + math.cos(y * 0.017 - seed * 0.5) * 1.9
            + math.sin((x + y) * 0.011) * 1.3)


def brush_strokes():
    """Thick short strokes along a swirling field, warm against cool."""
    rng = random.Random(1)
    img = canvas((0.16, 0.20, 0.35))
    palette = [(0.95, 0.78, 0.25), (0.90, 0.45, 0.12), (0.20, 0.35, 0.70),
               (0.12, 0.18, 0.45), (0.96, 0.92, 0.70), (0.35, 0.55, 0.80)]
    for _ in range(1400):
        x, y = rng.uniform(0, SIZE), rng.uniform(0, SIZE)
        colour = tuple(min(1.0, c * rng.uniform(0.85, 1.1)) for c in rng.choice(palette))
        width = rng.uniform(2.0, 4.0)
        for step in range(rng.randint(6, 14)):
            a = flow_angle(x, y, 0.0)
            stamp_disc(img, x, y, width, colour, 0.8)
            x += math.cos(a) * 1.6
            y += math.sin(a) * 1.6
    return img


def mosaic():
    """Irregular tiles in earthy glazes with dark grout."""
    rng = random.Random(2)
    seeds = [(rng.uniform(0, SIZE), rng.uniform(0, SIZE)) for _ in range(90)]
    palette = [(0.70, 0.30, 0.18), (0.85, 0.65, 0.30), (0.25, 0.45, 0.40),
               (0.90, 0.85, 0.70), (0.30, 0.30, 0.55), (0.60, 0.15, 0.20)]
    colours = [rng.choice(palette) for _ in seeds]
    img = canvas((0, 0, 0))
    for y in range(SIZE):
        for x in range(SIZE):
            best, second, idx = 1e9, 1e9, 0
            for i, (sx, sy) in enumerate(seeds):
                dx = min(abs(x - sx), SIZE - abs(x - sx))   # wraps: tiles seamlessly
                dy = min(abs(y - sy), SIZE - abs(y - sy))
                d = math.hypot(dx, dy)
                if d < best:
                    best, second, idx = d, best, i
                elif d < second:
                    second = d
            edge = max(0.0, min(1.0, (second - best) / 3.0))
            shade = 0.85 + 0.15 * math.sin(x * 0.3 + y * 0.2 + idx)
            img[y][x] = [c * shade * edge + 0.08 * (1 - edge) for c in colours[idx]]
    return img


def ink_wash():
    """Grey-blue washes with fine cross-hatching, like pen and ink."""
    img = canvas((0.94, 0.93, 0.89))
    for y in range(SIZE):
        for x in range(SIZE):
            v = (math.sin(x * 0.035) * math.cos(y * 0.028) + math.sin((x - y) * 0.019)) / 2
            tone = 0.5 + 0.5 * v
            ink = (0.10, 0.14, 0.22)
            wash = 0.45 * (1 - tone)
            hatch = 0.0
            if tone < 0.55 and (x + y) % 6 == 0:
                hatch = 0.7
            if tone < 0.35 and (x - y) % 5 == 0:
                hatch = 0.8
            blend(img, x, y, ink, min(1.0, wash + hatch))
    return img


def pointillism():
    """Dense dots of pure complementary colours."""
    rng = random.Random(4)
    img = canvas((0.97, 0.95, 0.88))
    palette = [(0.95, 0.80, 0.10), (0.10, 0.55, 0.85), (0.90, 0.25, 0.30),
               (0.25, 0.70, 0.35), (0.55, 0.30, 0.75), (1.00, 0.55, 0.15)]
    for _ in range(5200):
        x, y = rng.uniform(0, SIZE), rng.uniform(0, SIZE)
        region = int((math.sin(x * 0.03) + math.cos(y * 0.025) + 2) * 1.5) % len(palette)
        colour = palette[region] if rng.random() < 0.7 else rng.choice(palette)
        stamp_disc(img, x, y, rng.uniform(1.5, 2.6), colour, 0.95)
    return img


STYLES = {"brush-strokes": brush_strokes, "mosaic": mosaic,
          "ink-wash": ink_wash, "pointillism": pointillism}

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    for name, draw in STYLES.items():
        write_png("%s/%s.png" % (out, name), draw())
        print("wrote", name)
