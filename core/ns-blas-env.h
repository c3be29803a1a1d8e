/* ns-blas-env.h: choosing OpenBLAS's AVX-512 kernels where they exist.
 *
 * OpenBLAS (DYNAMIC_ARCH) picks its kernels when it is loaded, and some
 * builds pick the AVX2 (Haswell) ones on AVX-512 CPUs: measured on 2 cores,
 * sgemm 2048^3 at 202 GFLOP/s that way and 388-407 with
 * OPENBLAS_CORETYPE=SKYLAKEX.  The variable only counts before the library
 * loads, so a program that wants it re-executes itself once with it set.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main ().  Where the CPU has AVX-512, OpenBLAS chose a
 * core without it and the user has not set OPENBLAS_CORETYPE, re-executes
 * the program with OPENBLAS_CORETYPE=SKYLAKEX (and returns only if that
 * fails).  NS_BLAS_ASSUME_CORE, for tests, stands in for OpenBLAS's choice. */
void ns_blas_prefer_avx512 (char **argv);

G_END_DECLS
