/* ns-lbfgs.h: limited-memory BFGS over float vectors, history bounded.
 *
 * Why not liblbfgs, which the core used before: its values are doubles
 * (lbfgsfloatval_t is fixed when the library is built, and Debian builds
 * it for double) and it keeps 7 + 2m vectors, 19 doubles a value at m = 6:
 * 11 GB for a 24-megapixel image.  This keeps x, the gradient, the
 * direction and m pairs (s, y), all float, with m chosen by the caller to
 * fit its memory; dot products are summed in double.  The line search
 * backtracks from the full step to the Armijo condition.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The objective at @x (n values): returns it and writes its gradient. */
typedef double   (*NsLbfgsEvaluate) (gpointer data, const float *x, float *g,
                                     gsize n);
/* After iteration @k (1 ..) with the new @x and loss; FALSE ends the run. */
typedef gboolean (*NsLbfgsProgress) (gpointer data, const float *x, double loss,
                                     int k);

typedef struct
{
  int history;            /* m: remembered steps, at least 1 */
  int max_iterations;
  int max_linesearch;     /* evaluations per line search */
} NsLbfgsParams;

typedef enum
{
  NS_LBFGS_DONE,          /* max_iterations reached */
  NS_LBFGS_STOPPED,       /* the progress function said so */
  NS_LBFGS_STUCK,         /* no step lowered the objective: x is the best */
  NS_LBFGS_NO_MEMORY
} NsLbfgsStatus;

/* Bytes besides x that a run with @history keeps for @n values. */
gsize         ns_lbfgs_bytes (gsize n, int history);

/* Minimises from @x, which receives the best point found. */
NsLbfgsStatus ns_lbfgs       (float *x, gsize n, const NsLbfgsParams *params,
                              NsLbfgsEvaluate evaluate, NsLbfgsProgress progress,
                              gpointer data);

G_END_DECLS
