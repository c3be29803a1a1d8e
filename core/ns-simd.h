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
#define NS_HOT __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NS_HOT
#endif

/* A helper of an NS_HOT function.  It must be inlined into each clone:
 * called, it runs as compiled for plain x86-64, where NsVec16 is four SSE
 * registers (GCC called pool_backward_rows that way while it was plain
 * static inline).  tests/check-clones.sh looks for such calls in the
 * built objects. */
#define NS_INLINE static inline __attribute__ ((always_inline))

/* The helpers below pass vectors by value but are always inlined: the
 * ABI note GCC gives for that concerns no real call (core/meson.build
 * turns it off; a pragma here does not reach it). */
#define NS_VEC 16
typedef float NsVec16 __attribute__ ((vector_size (NS_VEC * sizeof (float))));
typedef int   NsVec16i __attribute__ ((vector_size (NS_VEC * sizeof (int))));

NS_INLINE NsVec16
ns_vec_load (const float *p)          /* unaligned */
{
  NsVec16 v;

  memcpy (&v, p, sizeof v);
  return v;
}

typedef float NsVec8 __attribute__ ((vector_size (8 * sizeof (float))));
typedef float NsVec4 __attribute__ ((vector_size (4 * sizeof (float))));

/* The first n lanes (n < 16) in pieces of 8, 4 and 1, each moved down
 * from its place by a constant shuffle.  A memcpy of n * 4 bytes had the
 * vector go through the stack and come back 8 bytes at a time, each load
 * waiting on the wide store before it: a row of 8 tiles (512 channels at
 * 32 px) took 3.4 us a channel in the input transform. */
NS_INLINE void
ns_vec_store_part (float *p, NsVec16 v, int n)
{
  if (n >= 8)
    {
      NsVec8 low = __builtin_shufflevector (v, v, 0, 1, 2, 3, 4, 5, 6, 7);

      memcpy (p, &low, sizeof low);
      v = __builtin_shufflevector (v, v, 8, 9, 10, 11, 12, 13, 14, 15,
                                   8, 9, 10, 11, 12, 13, 14, 15);
      p += 8;
      n -= 8;
    }
  if (n >= 4)
    {
      NsVec4 low = __builtin_shufflevector (v, v, 0, 1, 2, 3);

      memcpy (p, &low, sizeof low);
      v = __builtin_shufflevector (v, v, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7);
      p += 4;
      n -= 4;
    }
  if (n > 0)
    p[0] = v[0];
  if (n > 1)
    p[1] = v[1];
  if (n > 2)
    p[2] = v[2];
}

NS_INLINE void
ns_vec_store (float *p, NsVec16 v, int n)   /* the first n lanes */
{
  if (n >= NS_VEC)
    memcpy (p, &v, sizeof v);
  else
    ns_vec_store_part (p, v, n);
}

/* yes where mask, else no.  A comparison's mask must go straight into
 * selects like this one: combined with others by | or &, GCC 14 turns
 * the comparison, in every NS_HOT clone, into 16 scalar ones (the max
 * pool's gradient was 4.9 ms for 64 channels at 256 px that way). */
#define ns_vec_select(mask, yes, no) \
  ((NsVec16) (((NsVec16i) (yes) & (mask)) | ((NsVec16i) (no) & ~(mask))))

NS_INLINE NsVec16
ns_vec_max0 (NsVec16 v)               /* max (v, 0) lane by lane */
{
  NsVec16 zero = { 0 };

  return (NsVec16) ((NsVec16i) v & (v > zero));
}

/* Lanes picked from the 32 of (a, b): GCC and clang spell it apart. */
#if defined(__clang__)
#define NS_VEC_SHUFFLE(a, b, ...) __builtin_shufflevector (a, b, __VA_ARGS__)
#else
#define NS_VEC_SHUFFLE(a, b, ...) __builtin_shuffle (a, b, (NsVec16i) { __VA_ARGS__ })
#endif

/* The even lanes of a then of b; the odd ones. */
#define ns_vec_evens(a, b) \
  NS_VEC_SHUFFLE (a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define ns_vec_odds(a, b) \
  NS_VEC_SHUFFLE (a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
/* a0 b0 a1 b1 ... from the first halves of a and b; from the second. */
#define ns_vec_zip_low(a, b) \
  NS_VEC_SHUFFLE (a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define ns_vec_zip_high(a, b) \
  NS_VEC_SHUFFLE (a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)

#endif
