/* ns-losses.h: content, Gram-matrix style and total-variation losses.
 *
 * Each loss returns its value and adds weight * d(loss)/d(input) to a
 * gradient buffer, so a caller sums several into one backward pass.
 */
#pragma once

#include <math.h>

#include "ns-network.h"

G_BEGIN_DECLS

/* Gram matrix of one feature map: G = F F^T / (H W), C x C. */
void   ns_gram            (const NsTensor *features, float *gram);
/* Adds F F^T over the positions [x0, x1) x [y0, y1) to @sum (C x C, both
 * triangles), for Gram matrices summed over tiles. */
void   ns_gram_sum_rect   (const NsTensor *features, int x0, int y0, int x1,
                           int y1, double *sum);
/* A region's weights over a tensor's positions, from its map v on the
 * output's grid: v (y, x) is values[y * stride + x], in [0, 1].  With
 * band 0 the weight is v itself; with band k of @bands it is the tent
 * max (0, 1 - |v - k / bands| bands), so that the bands' weights sum to
 * v's share of each (ns-objective.h). */
typedef struct
{
  const float *values;
  int          stride;
  int          band;
  int          bands;
} NsWeights;

/* m (y, x) of @w. */
static inline float
ns_weight_at (const NsWeights *w, gsize y, gsize x)
{
  float v = w->values[y * w->stride + x], t;

  if (w->band == 0)
    return v;
  t = 1.0f - fabsf (v * w->bands - w->band);
  return t > 0.0f ? t : 0.0f;
}

/* Adds sum m F F^T over [x0, x1) x [y0, y1) to @sum (C x C, both
 * triangles) and sum m to *mass: a guided Gram matrix's sums. */
void   ns_gram_sum_rect_weighted (const NsTensor *features, int x0, int y0,
                                  int x1, int y1, const NsWeights *weights,
                                  double *sum, double *mass);
/* grad += alpha * diff F over every position; diff C x C symmetric. */
void   ns_style_gradient_add (const NsTensor *features, const float *diff,
                              float alpha, float *grad);
/* grad = alpha * diff F: the same written over whatever grad held (the
 * first term of a map saves zeroing it and reading the zeros back). */
void   ns_style_gradient_set (const NsTensor *features, const float *diff,
                              float alpha, float *grad);
/* grad += alpha * m diff F at every position: the guided Gram's. */
void   ns_style_gradient_add_weighted (const NsTensor *features,
                                       const float *diff, float alpha,
                                       const NsWeights *weights, float *grad);

/* The style statistics a loss aims at: one Gram matrix per style output. */
typedef struct
{
  int      n_layers;
  int     *outputs;        /* network output index of each layer */
  double  *layer_weights;  /* relative; normalised to sum 1 by the loss */
  int     *channels;       /* C of each Gram */
  float  **grams;          /* C x C each */
  double  *norms;          /* ||G_target||^2 of each, the loss's scale */
} NsStyleTarget;

/* An empty target for @n_layers layers of @net's outputs. */
NsStyleTarget *ns_style_target_new   (NsNetwork *net, int n_layers,
                                      const int *outputs,
                                      const double *layer_weights);
void           ns_style_target_free  (NsStyleTarget *target);
/* Adds weight * Gram of each layer of @acts to the target (blending styles). */
gboolean       ns_style_target_add   (NsStyleTarget *target,
                                      const NsActivations *acts,
                                      double weight, GError **error);
/* Divides by the summed weights and computes the norms. */
void           ns_style_target_finish (NsStyleTarget *target,
                                       double total_weight);

/* L = sum_l w_l ||G_l(x) - T_l||^2 / ||T_l||^2 / sum_l w_l.
 * Adds weight * dL/dF_l to grads[output_l].data (allocated by the caller).
 * Returns a negative value, with @error set, when scratch memory is short. */
double ns_style_loss      (const NsStyleTarget *target,
                           const NsActivations *acts, double weight,
                           NsTensor *grads, GError **error);

/* L = ||F(x) - F(c)||^2 / ||F(c)||^2 at one output. */
double ns_content_loss    (const NsTensor *features, const NsTensor *target,
                           double weight, NsTensor *grad);

/* Squared total variation of a 3 x H x W image clamped to [0, 1], per
 * value:
 * L = sum (x[y][x+1] - x[y][x])^2 + (x[y+1][x] - x[y][x])^2 over 3 H W. */
double ns_tv_loss         (const NsImage *image, double weight, float *grad);

G_END_DECLS
