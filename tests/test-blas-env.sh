#!/usr/bin/env bash
# OpenBLAS's AVX-512 kernels are chosen where the CPU has AVX-512 and
# OpenBLAS did not pick them itself, and a user's OPENBLAS_CORETYPE is
# never overridden.  NS_BLAS_ASSUME_CORE makes the program believe that
# OpenBLAS chose the AVX2 (Haswell) kernels, as some builds do.
#   test-blas-env.sh NS-BENCH
set -u
bench=$1
. "$(dirname "$0")/tap.sh"
core () { env -u OPENBLAS_CORETYPE "$@" "$bench" sgemm 64 | sed -n 's/.*coretype=//p'; }

avx512=no
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo &&
  grep -qw avx512dq /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && avx512=yes

got=$(core OPENBLAS_CORETYPE=Haswell)
check $([ "$got" = Haswell ]; echo $?) "a user's OPENBLAS_CORETYPE=Haswell is kept (got $got)"

got=$(core NS_BLAS_ASSUME_CORE=Haswell)
if [ "$avx512" = yes ]; then
  check $([ "$got" = SkylakeX ]; echo $?) "AVX-512 CPU, AVX2 kernels chosen: re-executed with SkylakeX (got $got)"
else
  check $([ "$got" != SkylakeX ]; echo $?) "no AVX-512: nothing changed (got $got)"
fi

got=$(core)
if [ "$avx512" = yes ]; then
  check $(case $got in SkylakeX|Cooperlake|SapphireRapids) echo 0 ;; *) echo 1 ;; esac) \
    "AVX-512 CPU: an AVX-512 core in use (got $got)"
else
  # Forcing an AVX-512 core here would die of an illegal instruction.
  check $(case $got in ''|SkylakeX|Cooperlake|SapphireRapids) echo 1 ;; *) echo 0 ;; esac) \
    "no AVX-512 on this CPU: a core without AVX-512 in use (got '$got')"
fi
tap_end
