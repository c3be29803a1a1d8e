/* ns-lbfgs.c: L-BFGS (Nocedal's two-loop recursion) in float. */
#include "ns-lbfgs.h"

#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-simd.h"

#define ARMIJO 1e-4       /* sufficient decrease: f + ARMIJO * step * g.d */

typedef struct
{
  gsize   n;
  int     m;
  float  *g, *d;
  float **s, **y;         /* m pairs, a ring; newest at (newest) */
  double *rho;            /* 1 / (s . y); 0 marks an empty pair */
  double *alpha;
  int     newest;
} State;

typedef float  Vec8f __attribute__ ((vector_size (8 * sizeof (float))));
typedef double Vec8d __attribute__ ((vector_size (8 * sizeof (double))));

/* In double, as eight running sums in a vector (twice, so that the adds
 * do not wait on each other): a scalar double sum is one dependent add
 * per element, the slowest loop of an iteration at 10 % of its time. */
NS_HOT static double
dot (const float *a, const float *b, gsize n)
{
  Vec8d  s0 = { 0 }, s1 = { 0 };
  double sum = 0.0;
  gsize  i = 0;

  for (; i + 16 <= n; i += 16)
    {
      Vec8f a0, a1, b0, b1;

      memcpy (&a0, a + i, sizeof a0);
      memcpy (&a1, a + i + 8, sizeof a1);
      memcpy (&b0, b + i, sizeof b0);
      memcpy (&b1, b + i + 8, sizeof b1);
      s0 += __builtin_convertvector (a0, Vec8d) * __builtin_convertvector (b0, Vec8d);
      s1 += __builtin_convertvector (a1, Vec8d) * __builtin_convertvector (b1, Vec8d);
    }
  s0 += s1;
  for (int l = 0; l < 8; l++)
    sum += s0[l];
  for (; i < n; i++)
    sum += (double) a[i] * b[i];
  return sum;
}

/* y += a x */
static void
axpy (float *y, double a, const float *x, gsize n)
{
  float af = (float) a;

  for (gsize i = 0; i < n; i++)
    y[i] += af * x[i];
}

gsize
ns_lbfgs_bytes (gsize n, int history)
{
  return (2 + 2 * (gsize) MAX (history, 1)) * n * sizeof (float);
}

static void
state_free (State *st)
{
  for (int i = 0; i < st->m; i++)
    {
      g_free (st->s[i]);
      g_free (st->y[i]);
    }
  g_free (st->s);
  g_free (st->y);
  g_free (st->rho);
  g_free (st->alpha);
  g_free (st->g);
  g_free (st->d);
}

static gboolean
state_init (State *st, gsize n, int m)
{
  gboolean ok;

  memset (st, 0, sizeof *st);
  st->n = n;
  st->m = m;
  st->s = g_new0 (float *, m);
  st->y = g_new0 (float *, m);
  st->rho = g_new0 (double, m);
  st->alpha = g_new0 (double, m);
  st->g = ns_try_alloc (n, sizeof (float), NULL);
  st->d = ns_try_alloc (n, sizeof (float), NULL);
  ok = st->g != NULL && st->d != NULL;
  for (int i = 0; ok && i < m; i++)
    {
      st->s[i] = ns_try_alloc (n, sizeof (float), NULL);
      st->y[i] = ns_try_alloc (n, sizeof (float), NULL);
      ok = st->s[i] != NULL && st->y[i] != NULL;
    }
  st->newest = m - 1;
  return ok;
}

/* d = -H g by the two-loop recursion over the pairs held. */
static void
direction (State *st)
{
  gsize  n = st->n;
  int    m = st->m, newest = st->newest;
  double gamma = 1.0;

  memcpy (st->d, st->g, n * sizeof (float));
  for (int k = 0; k < m; k++)
    {
      int i = (newest - k + m) % m;

      if (st->rho[i] == 0.0)
        break;
      st->alpha[i] = st->rho[i] * dot (st->s[i], st->d, n);
      axpy (st->d, -st->alpha[i], st->y[i], n);
    }
  if (st->rho[newest] != 0.0)
    gamma = 1.0 / (st->rho[newest] * dot (st->y[newest], st->y[newest], n));
  for (gsize j = 0; j < n; j++)
    st->d[j] *= (float) gamma;
  for (int k = m - 1; k >= 0; k--)
    {
      int    i = (newest - k + m) % m;
      double beta;

      if (st->rho[i] == 0.0)
        continue;
      beta = st->rho[i] * dot (st->y[i], st->d, n);
      axpy (st->d, st->alpha[i] - beta, st->s[i], n);
    }
  for (gsize j = 0; j < n; j++)
    st->d[j] = -st->d[j];
}

static void
forget (State *st)
{
  for (int i = 0; i < st->m; i++)
    st->rho[i] = 0.0;
}

NsLbfgsStatus
ns_lbfgs (float *x, gsize n, const NsLbfgsParams *p, NsLbfgsEvaluate evaluate,
          NsLbfgsProgress progress, gpointer data)
{
  State         st;
  NsLbfgsStatus status = NS_LBFGS_DONE;
  double        f;

  if (!state_init (&st, n, MAX (p->history, 1)))
    {
      state_free (&st);
      return NS_LBFGS_NO_MEMORY;
    }
  f = evaluate (data, x, st.g, n);
  for (int k = 1; k <= p->max_iterations; k++)
    {
      int    slot = (st.newest + 1) % st.m;
      double gd, step, taken = 0.0, f_new = f, sy;
      int    tries;

      direction (&st);
      gd = dot (st.g, st.d, n);
      if (!(gd < 0.0))
        {
          /* Not a descent direction (curvature lost): start again. */
          forget (&st);
          direction (&st);
          gd = dot (st.g, st.d, n);
        }
      if (!(gd < 0.0))
        {
          status = NS_LBFGS_STUCK;
          break;
        }
      /* The first step is as long as one unit of the gradient. */
      step = st.rho[st.newest] != 0.0 ? 1.0 : 1.0 / sqrt (dot (st.g, st.g, n));
      /* The oldest pair's slot takes g now, y = g_new - g_old later. */
      st.rho[slot] = 0.0;
      memcpy (st.y[slot], st.g, n * sizeof (float));
      for (tries = 0; tries < p->max_linesearch; tries++)
        {
          axpy (x, step - taken, st.d, n);
          taken = step;
          f_new = evaluate (data, x, st.g, n);
          if (f_new <= f + ARMIJO * step * gd)
            break;
          step *= 0.5;
        }
      if (tries == p->max_linesearch)
        {
          /* Back to the best point, with its gradient. */
          axpy (x, -taken, st.d, n);
          memcpy (st.g, st.y[slot], n * sizeof (float));
          status = NS_LBFGS_STUCK;
          break;
        }
      f = f_new;
      for (gsize j = 0; j < n; j++)
        {
          st.s[slot][j] = (float) taken * st.d[j];
          st.y[slot][j] = st.g[j] - st.y[slot][j];
        }
      sy = dot (st.s[slot], st.y[slot], n);
      /* Only pairs with positive curvature keep H positive definite. */
      if (sy > 1e-10 * dot (st.y[slot], st.y[slot], n))
        {
          st.rho[slot] = 1.0 / sy;
          st.newest = slot;
        }
      if (progress != NULL && !progress (data, x, f, k))
        {
          status = NS_LBFGS_STOPPED;
          break;
        }
    }
  state_free (&st);
  return status;
}
