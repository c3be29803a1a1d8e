#!/usr/bin/env bash
# Every NS_HOT function is built once per processor (its clones end in
# .arch_x86_64_v4 ...).  A helper it calls instead of inlining runs as
# built for plain x86-64, where each 16-float vector is four SSE ones
# (GCC called the max pool's pool_backward_rows that way).  So
# no clone may call a function of its own object file that is not itself
# an NS_HOT function (a call to one goes through its resolver and picks a
# clone again).  Calls out of the file (memcpy, g_malloc) are unresolved
# in an object and show as calls to the clone itself plus an offset.
#   check-clones.sh LIBNS-CORE.a
set -u
lib=$1
. "$(dirname "$0")/tap.sh"

listing=$(objdump -d --no-show-raw-insn "$lib") || { echo "Bail out! objdump failed on $lib"; exit 1; }
# The clones, and the functions they call at their start.
report=$(awk '
  BEGIN { suffix = "\\.(arch_[a-z0-9_]+|avx[0-9a-z]*)$" }
  /^[0-9a-f]+ <[^>]*>:$/ {
    name = substr ($2, 2, length ($2) - 3)
    clone = name ~ suffix ? name : ""
    if (clone != "") { clones++; sub (suffix, "", name); hot[name] = 1 }
    next
  }
  clone != "" && /\tcall / && $NF ~ /^<[^+@]*>$/ {
    callee = substr ($NF, 2, length ($NF) - 2)
    calls[clone " -> " callee] = callee
  }
  END {
    printf "clones %d\n", clones
    for (c in calls) if (!(calls[c] in hot)) print "call " c
  }' <<<"$listing")

clones=$(sed -n 's/^clones //p' <<<"$report")
check $([ "${clones:-0}" -gt 0 ]; echo $?) "the core has NS_HOT clones to look at ($clones)"
bad=$(grep '^call ' <<<"$report" | sed 's/^call //')
check $([ -z "$bad" ]; echo $?) "no clone calls a helper built for plain x86-64${bad:+: $(tr '\n' ' ' <<<"$bad")}"
tap_end
