#!/bin/sh
# The full-size schedule measured: one content enlarged to 2560 px, painted
# at full size with the schedule (A: 100 iterations up to 1024 px, each
# larger scale 100 x (1024 / side)^2), a lighter one (E: as if the detail
# side were 724 px), every scale at 100 iterations (B: the long run), and
# a 1024 px run enlarged (C).  Writes each result, 640 x 480 crops at 100 %,
# every iteration's loss (*.trace: "trace SCALE ITERATION LOSS") and the
# wall times into OUT.  Inside the build root, from the source tree:
#
#   build-aux/dev run sh tests/bench/schedule-study.sh CONTENT STYLE OUT
set -e
[ $# -eq 3 ] || { echo "usage: $0 CONTENT STYLE OUT" >&2; exit 2; }
content=$1 style=$2 out=$3
tool=${NS_BUILD_DIR:-_build}/tests/ns-image-tool
mkdir -p "$out"
"$tool" resize "$content" 2560 1920 "$out/content.png"
: > "$out/times.txt"
# run NAME MAX_SIZE DETAIL_SIDE
run () {
  start=$(date +%s.%N)
  env NS_TRACE=1 NS_DETAIL_SIDE="$3" \
    "$tool" transfer "$out/content.png" "$style" "$out/$1.png" "$2" 100 2> "$out/$1.trace"
  echo "$1 $(awk "BEGIN { print $(date +%s.%N) - $start }") s" >> "$out/times.txt"
  "$tool" crop "$out/$1.png" 1100 700 640 480 "$out/crop-$1.png"
}
run A 0 1024
run E 0 724
run B 0 0
run C 1024 0
# The last scale's loss after 1, 5, 10, 16, 25, 50 and 100 iterations.
for name in A E B; do
  printf '%s: ' "$name"
  awk '$2 == 3 && ($3 == 1 || $3 == 5 || $3 == 10 || $3 == 16 || $3 == 25 || $3 == 50 || $3 == 100) {
         printf "%d:%.4f ", $3, $4 } END { print "" }' "$out/$name.trace"
done
cat "$out/times.txt"
