#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/TARGET/seed-*).

Run from the source tree: python3 tests/fuzz/make-seeds.py.  Seeds are
small, valid inputs that reach deep into each parser; inputs that once
crashed a target go beside them as crash-* files and are never rewritten.
"""
import json
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.dirname(os.path.dirname(here))
corpus = os.path.join(here, "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
    with open(os.path.join(corpus, target, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def safetensors(tensors, metadata=None):
    """tensors: (name, dtype, shape, raw bytes); returns the file's bytes."""
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def small_safetensors():
    return safetensors([
        ("a", "F32", [2, 3], struct.pack("<6f", *range(6))),
        ("b", "F16", [4], struct.pack("<4H", 0x3c00, 0x8000, 0x7c00, 0x0001)),
        ("c", "BF16", [1, 2], struct.pack("<2H", 0x3f80, 0xff80)),
        ("d", "I64", [1], struct.pack("<q", -1)),
        ("e", "F32", [0], b""),
    ], {"format": "pt"})


def http(status, headers, body):
    lines = ["HTTP/1.1 " + status] + ["%s: %s" % h for h in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def download_whole(weights):
    # The probe (cut off after 8 bytes), then the whole file.
    answer = http("200 OK", [("Content-Length", len(weights))], weights)
    return answer + b"\n@@\n" + answer


def download_ranges(weights):
    """A server with ranges: probe, the 8-byte length, the header, then each
    of VGG19's 32 tensors in the order the download asks for them."""
    total = len(weights)
    n = struct.unpack("<Q", weights[:8])[0]
    header = json.loads(weights[8:8 + n])

    def part(begin, end):
        return http("206 Partial Content",
                    [("Content-Range", "bytes %d-%d/%d" % (begin, end - 1, total)),
                     ("Content-Length", end - begin)], weights[begin:end])

    answers = [part(0, 8), part(0, 8), part(8, 8 + n)]
    for conv in range(16):
        for kind in ("weight", "bias"):
            begin, end = header[names_in_order(header, kind)[conv]]["data_offsets"]
            answers.append(part(8 + n + begin, 8 + n + end))
    return b"\n@@\n".join(answers)


def names_in_order(header, kind):
    """VGG19's conv tensors of @kind in network order (features.N.kind)."""
    keys = [k for k in header if k.startswith("features.") and k.endswith("." + kind)]
    return sorted(keys, key=lambda k: int(k.split(".")[1]))


def main():
    for target in ("safetensors", "preset", "result-record", "download"):
        d = os.path.join(corpus, target)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.startswith("seed-"):
                    os.remove(os.path.join(d, f))

    with open(os.path.join(src, "tests", "data", "vgg19-small-f16.safetensors"), "rb") as f:
        vgg_f16 = f.read()
    with open(os.path.join(src, "tests", "data", "vgg19-small.safetensors"), "rb") as f:
        vgg_f32 = f.read()
    put("safetensors", "vgg19-small-f16", vgg_f16)
    put("safetensors", "dtypes", small_safetensors())
    put("safetensors", "empty-header", struct.pack("<Q", 8) + b"{}      ")

    styles = os.path.join(src, "styles")
    for name in sorted(os.listdir(styles)):
        if name.endswith(".preset"):
            with open(os.path.join(styles, name), "rb") as f:
                put("preset", name[:-len(".preset")], f.read())

    record = """[Neural Style Result]
Version=2
Source=2
SourceName=Background
Rectangle=0;0;64;48;
IterationsDone=30
StyleFiles=file:///tmp/style.png;
StyleFileWeights=1;
StyleLayers=3;
StyleLayerImages=untitled:1;
StyleLayerNames=own-style;
StyleLayerWeights=2.5;
StylePresets=mosaic;ink-wash;
StylePresetWeights=1;0.5;
StyleScale=1.5
StyleWeight=8
ContentWeight=1
TvWeight=0
PreserveColors=0.25
Network=builtin
Quality=normal
Iterations=30
MaxSize=0
StartNoise=0.5
Seed=7
"""
    put("result-record", "full", record)
    put("result-record", "files-only", record.replace("StyleLayers=3;", "StyleLayers=")
        .replace("StyleLayerImages=untitled:1;", "StyleLayerImages=")
        .replace("StyleLayerNames=own-style;", "StyleLayerNames=")
        .replace("StyleLayerWeights=2.5;", "StyleLayerWeights="))

    put("result-record", "regions", record.replace("Seed=7\n", "Seed=7\n")
        + "StyleRegions=channel:4;mask:2;-1;-2;\nStyleSampleRegions=0;channel:5;0;0;\n")
    put("download", "whole", download_whole(vgg_f16))
    put("download", "ranges", download_ranges(vgg_f16))
    put("download", "not-found", http("404 Not Found", [("Content-Length", 0)], b""))


main()
