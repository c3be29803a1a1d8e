/* ns-simd.h: what the core's hand-vectorised loops share.
 *
 * NsVec16 is 16 floats as one GCC/clang vector: one AVX-512 register, two
 * AVX2 registers, four SSE ones; the compiler lowers it to whatever the
 * function is compiled for.  NS_HOT compiles a function for AVX-512,
 * AVX2 and plain x86-64 and lets the loader pick by the processor, so
 * one binary is fast on this machine and still runs everywhere. */
#ifndef NS_SIMD_H
#define NS_SIMD_H

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NS_HOT __attribute__ ((target_clones ("avx512f", "avx2", "default")))
#else
#define NS_HOT
#endif

/* The helpers below pass vectors by value but are always inlined, so the
 * ABI note GCC gives for that concerns no real call. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#define NS_VEC 16
typedef float NsVec16 __attribute__ ((vector_size (NS_VEC * sizeof (float))));
typedef int   NsVec16i __attribute__ ((vector_size (NS_VEC * sizeof (int))));

static inline NsVec16
ns_vec_load (const float *p)          /* unaligned */
{
  NsVec16 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
ns_vec_store (float *p, NsVec16 v, int n)   /* the first n lanes */
{
  if (n >= NS_VEC)
    memcpy (p, &v, sizeof v);
  else
    memcpy (p, &v, n * sizeof (float));
}

static inline NsVec16
ns_vec_max0 (NsVec16 v)               /* max (v, 0) lane by lane */
{
  NsVec16 zero = { 0 };

  return (NsVec16) ((NsVec16i) v & (v > zero));
}

#endif
