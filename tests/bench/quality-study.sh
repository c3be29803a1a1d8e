#!/bin/sh
# What each quality's iterations buy: the built-in network paints CONTENT
# in the style of each STYLE at each quality's size (draft 256, normal
# 512, fine 1024 px) with a quarter, half and all of its iterations per
# scale (draft 40, normal 100, fine 200).  Prints, per run, the wall
# time, L-BFGS's evaluations per iteration, the last scale's final loss
# and the result's mean absolute difference from the full run's; writes
# each result, a 300 px crop at 100 % and every iteration's loss
# (*.trace: "trace SCALE ITERATION LOSS") into OUT.  Inside the build
# root, from the source tree:
#
#   build-aux/dev run sh tests/bench/quality-study.sh CONTENT OUT STYLE...
set -e
[ $# -ge 3 ] || { echo "usage: $0 CONTENT OUT STYLE..." >&2; exit 2; }
content=$1 out=$2
shift 2
tool=${NS_BUILD_DIR:-_build}/tests/ns-image-tool
mkdir -p "$out"
# run NAME STYLE SIZE ITERATIONS
run () {
  start=$(date +%s.%N)
  env G_MESSAGES_DEBUG=all NS_TRACE=1 \
    "$tool" transfer "$content" "$2" "$out/$1.png" "$3" "$4" 2> "$out/$1.trace" > "$out/$1.log"
  seconds=$(awk "BEGIN { print $(date +%s.%N) - $start }")
  "$tool" crop "$out/$1.png" 200 100 300 300 "$out/crop-$1.png"
  # "scale S: I iterations, E evaluations" per scale (ns-transfer.c's debug line)
  per_it=$(grep -o '[0-9]* iterations, [0-9]* evaluations' "$out/$1.log" |
           awk '{ i += $1; e += $3 } END { printf "%.3f", e / i }')
  last=$(awk '$1 == "trace" { if ($2 > s) s = $2; if ($2 == s) v = $4 } END { printf "%.4f", v }' \
         "$out/$1.trace")
  echo "$1 wall_s=$seconds evaluations_per_iteration=$per_it last_scale_loss=$last"
}
for style in "$@"; do
  name=$(basename "$style" | sed 's/\.[^.]*$//')
  for quality in draft:256:40 normal:512:100 fine:1024:200; do
    q=${quality%%:*} rest=${quality#*:}
    size=${rest%%:*} its=${rest#*:}
    for n in $((its / 4)) $((its / 2)) "$its"; do
      run "$q-$name-$n" "$style" "$size" "$n"
    done
    for n in $((its / 4)) $((its / 2)); do
      echo "$q-$name-$n diff_from_full=$("$tool" diff "$out/$q-$name-$n.png" "$out/$q-$name-$its.png")"
    done
  done
done
