/* ns-maxpool.c: VGG's 2 x 2 max pool, stride 2, and its gradient.
 *
 * Both run a channel per task; the backward pass compares 16 windows at a
 * time (the scalar tail is the same rule written plainly).
 */
#include "ns-maxpool.h"

#include <string.h>

#include "ns-simd.h"
#include "ns-threads.h"

typedef struct
{
  const float *in;        /* c x h x w */
  const float *dout;      /* c x h/2 x w/2, backward only */
  float       *out;       /* forward: c x h/2 x w/2; backward: c x h x w */
  int          h;
  int          w;
} PoolJob;

/* Channel @ch: out = max pool (in), 2 x 2, stride 2, floor (as torchvision). */
static void
pool_forward_task (int ch, int n_tasks, gpointer data)
{
  const PoolJob *job = data;
  int            h = job->h, w = job->w, ho = h / 2, wo = w / 2;

  (void) n_tasks;
  for (int y = 0; y < ho; y++)
    for (int x = 0; x < wo; x++)
      {
        const float *p = job->in + ((gsize) ch * h + 2 * y) * w + 2 * x;
        float        a = p[0], b = p[1], d = p[w], e = p[w + 1];

        job->out[((gsize) ch * ho + y) * wo + x] = MAX (MAX (a, b), MAX (d, e));
      }
}

/* Which of a pool window's four inputs (a b / d e) is its maximum: the
 * first of equal maxima, as PyTorch. */
NS_INLINE int
pool_winner (float a, float b, float d, float e)
{
  int   best = 0;
  float top = a;

  if (b > top)
    best = 1, top = b;
  if (d > top)
    best = 2, top = d;
  if (e > top)
    best = 3;
  return best;
}

/* Rows 2 y and 2 y + 1 of the input gradient (d0, d1) from row y of dout
 * (g) through the pool over input rows r0, r1 and the ReLU they came
 * from: each window's gradient to its winner if that is above zero, zeros
 * elsewhere; 16 windows at a time.  The winner is found as pool_winner
 * does; its gradient is handed down from e to a, each comparison's mask
 * used only in selects (see ns_vec_select). */
NS_HOT static void
pool_backward_rows (const float *r0, const float *r1, const float *g, float *d0, float *d1,
                    int wo)
{
  NsVec16 zero = { 0 };
  int     x = 0;

  for (; x + NS_VEC <= wo; x += NS_VEC)
    {
      NsVec16  a0 = ns_vec_load (r0 + 2 * x), a1 = ns_vec_load (r0 + 2 * x + NS_VEC);
      NsVec16  b0 = ns_vec_load (r1 + 2 * x), b1 = ns_vec_load (r1 + 2 * x + NS_VEC);
      NsVec16  a = ns_vec_evens (a0, a1), b = ns_vec_odds (a0, a1);
      NsVec16  d = ns_vec_evens (b0, b1), e = ns_vec_odds (b0, b1);
      NsVec16i to_b = b > a;
      NsVec16  top_ab = ns_vec_select (to_b, b, a);
      NsVec16i to_d = d > top_ab;
      NsVec16  top_abd = ns_vec_select (to_d, d, top_ab);
      NsVec16i to_e = e > top_abd;
      NsVec16  gv = ns_vec_select (ns_vec_select (to_e, e, top_abd) > zero,
                                   ns_vec_load (g + x), zero);
      /* What e leaves to d, b and a; what d leaves to b and a. */
      NsVec16  ge = ns_vec_select (to_e, gv, zero), left_e = ns_vec_select (to_e, zero, gv);
      NsVec16  gd = ns_vec_select (to_d, left_e, zero), left_d = ns_vec_select (to_d, zero, left_e);
      NsVec16  gb = ns_vec_select (to_b, left_d, zero), ga = ns_vec_select (to_b, zero, left_d);

      ns_vec_store (d0 + 2 * x, ns_vec_zip_low (ga, gb), NS_VEC);
      ns_vec_store (d0 + 2 * x + NS_VEC, ns_vec_zip_high (ga, gb), NS_VEC);
      ns_vec_store (d1 + 2 * x, ns_vec_zip_low (gd, ge), NS_VEC);
      ns_vec_store (d1 + 2 * x + NS_VEC, ns_vec_zip_high (gd, ge), NS_VEC);
    }
  for (; x < wo; x++)
    {
      const float v[4] = { r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1] };
      int         best = pool_winner (v[0], v[1], v[2], v[3]);

      if (v[best] <= 0.0f)
        best = -1;              /* the ReLU below stopped it */

      d0[2 * x] = best == 0 ? g[x] : 0.0f;
      d0[2 * x + 1] = best == 1 ? g[x] : 0.0f;
      d1[2 * x] = best == 2 ? g[x] : 0.0f;
      d1[2 * x + 1] = best == 3 ? g[x] : 0.0f;
    }
}

/* Channel @ch of the input gradient from dout through the pool over in
 * and its ReLU;
 * an odd last row or column, which no window covers, gets zeros. */
static void
pool_backward_task (int ch, int n_tasks, gpointer data)
{
  const PoolJob *job = data;
  int            h = job->h, w = job->w, ho = h / 2, wo = w / 2;
  const float   *in = job->in + (gsize) ch * h * w;
  float         *din = job->out + (gsize) ch * h * w;

  (void) n_tasks;
  for (int y = 0; y < ho; y++)
    {
      float *d0 = din + (gsize) 2 * y * w;

      pool_backward_rows (in + (gsize) 2 * y * w, in + (gsize) (2 * y + 1) * w,
                          job->dout + ((gsize) ch * ho + y) * wo, d0, d0 + w, wo);
      if (w % 2 != 0)
        d0[w - 1] = d0[2 * w - 1] = 0.0f;
    }
  if (h % 2 != 0)
    memset (din + (gsize) (h - 1) * w, 0, w * sizeof (float));
}

void
ns_maxpool2x2 (const float *in, int c, int h, int w, float *out)
{
  PoolJob job = { in, NULL, out, h, w };

  ns_parallel_for (c, pool_forward_task, &job);
}

void
ns_maxpool2x2_backward (const float *in, const float *dout, int c, int h, int w, float *din)
{
  PoolJob job = { in, dout, din, h, w };

  ns_parallel_for (c, pool_backward_task, &job);
}
