#!/usr/bin/env bash
# Installing VGG19 weights from a URL, against a real HTTP server on
# loopback: ranges (only the convolution tensors fetched), no ranges (whole
# file), an interrupted download resumed, a damaged file and wrongly shaped
# weights refused with nothing installed, a server error reported.
#   test-download.sh NEURAL-STYLE-MODEL WEIGHTS.safetensors
set -u
tool=$1
weights=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ns-download.XXXXXX")
server_pid=
cleanup () { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
here=$(dirname "$0")
export XDG_DATA_HOME=$work/data

mkdir -p "$work/www"
cp "$weights" "$work/www/vgg19.safetensors"
# wrong-shape: same bytes, first conv's shape [4, 3, 3, 3] stated as
# [2, 6, 3, 3]; damaged: the header's JSON broken; big: the weights plus a
# 400 KB classifier tensor, which a range download must not fetch.
python3 - "$weights" "$work/www" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = data[8:8 + n].decode()
wrong = header.replace('"shape": [4, 3, 3, 3]', '"shape": [2, 6, 3, 3]', 1)
assert wrong != header
open(sys.argv[2] + "/wrong-shape.safetensors", "wb").write(data[:8] + wrong.encode() + data[8 + n:])
open(sys.argv[2] + "/damaged.safetensors", "wb").write(data[:8] + b"{garbage" + data[16:])
h = json.loads(header)
end = max(v["data_offsets"][1] for k, v in h.items() if k != "__metadata__")
h["classifier.6.weight"] = {"dtype": "F32", "shape": [100000], "data_offsets": [end, end + 400000]}
text = json.dumps(h).encode()
text += b" " * (-len(text) % 8)
open(sys.argv[2] + "/big.safetensors", "wb").write(
    struct.pack("<Q", len(text)) + text + data[8 + n:8 + n + end] + bytes(400000))
PY

n=0
failed=0
check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else failed=$((failed + 1)); echo "not ok $n - $2"; fi
}

start_server () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  : >"$work/log"
  coproc SERVER { exec python3 "$here/http_server.py" "$work/www" "$work/log" "$@"; }
  server_pid=$SERVER_PID
  read -r port <&"${SERVER[0]}"
  url=http://127.0.0.1:$port
}

model=$($tool path)
reset () { rm -rf "$XDG_DATA_HOME"; }
served () { awk '{ s += $3 } END { print s + 0 }' "$work/log"; }

# 1. Ranges: only the header and the convolution tensors are fetched.
reset; start_server
$tool install "$url/big.safetensors" >"$work/out" 2>&1
status=$?
size=$(stat -c %s "$model" 2>/dev/null || echo 0)
big=$(stat -c %s "$work/www/big.safetensors")
check $(( status != 0 || size == 0 || $(served) > size + 4096 )) \
  "ranges: $(served) of $big bytes fetched, $size installed"
check $(( $($tool status | grep -c '^installed') != 1 )) "ranges: status says installed"

# 2. No ranges: the whole file, installed as it is.
reset; start_server --no-range
$tool install "$url/vgg19.safetensors" >"$work/out" 2>&1
cmp -s "$model" "$weights"
check $? "no ranges: the whole file installed"

# 3. Interrupted half-way through the 30th request (a late tensor), resumed.
reset; start_server --fail-request 30
$tool install "$url/vgg19.safetensors" >"$work/out" 2>&1
first=$?
[ "$first" -ne 0 ] && [ ! -e "$model" ]
check $? "interrupted: fails and installs nothing"
start_server --port "$port"          # the same URL: a resume, not a new download
$tool install "$url/vgg19.safetensors" >"$work/out" 2>&1
second=$?
resumed=$(served)
cp "$model" "$work/resumed" 2>/dev/null
reset; start_server
$tool install "$url/vgg19.safetensors" >/dev/null 2>&1
full=$(served)
check $(( second != 0 || resumed >= full )) "interrupted: resumed with $resumed bytes where a fresh install takes $full"
cmp -s "$work/resumed" "$model"
check $? "interrupted: the resumed file equals a fresh download byte for byte"

# 4. A damaged file: refused, nothing installed.
reset; start_server
$tool install "$url/damaged.safetensors" >"$work/out" 2>&1
status=$?
[ "$status" -ne 0 ] && [ ! -e "$model" ] && grep -q "safetensors" "$work/out"
check $? "damaged: refused ($(tail -n 1 "$work/out"))"

# 5. Wrong shapes: downloaded, refused by validation, nothing left behind.
reset; start_server
$tool install "$url/wrong-shape.safetensors" >"$work/out" 2>&1
status=$?
[ "$status" -ne 0 ] && [ ! -e "$model" ] && grep -q "wrong shape" "$work/out" &&
  [ -z "$(ls -A "$(dirname "$model")")" ]
check $? "wrong shapes: refused, model folder empty ($(tail -n 1 "$work/out"))"

# 6. A server error is reported as such.
reset; start_server --status 500
$tool install "$url/vgg19.safetensors" >"$work/out" 2>&1
status=$?
[ "$status" -ne 0 ] && grep -q "HTTP 500" "$work/out"
check $? "server error: $(tail -n 1 "$work/out")"

echo "1..$n"
[ "$failed" -eq 0 ]
