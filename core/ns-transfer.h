/* ns-transfer.h: Gatys-style transfer, the optimisation the core exists for.
 *
 * Minimises  content_weight * Lc + style_weight * Ls + tv_weight * Ltv
 * over the pixels of an image, coarse to fine: the image is optimised at a
 * small size, upsampled (with the content's detail of the next size added
 * back) and optimised again, up to the processing size; the result is then
 * brought to the content's full size.  Runs in the caller's thread; progress
 * is reported through a callback and cancel / stop flags are polled at least
 * once per iteration.
 */
#pragma once

#include "ns-network.h"

G_BEGIN_DECLS

typedef enum
{
  NS_OPTIMISER_LBFGS,
  NS_OPTIMISER_ADAM
} NsOptimiser;

typedef enum
{
  NS_INIT_CONTENT,      /* start from the content image, mixed with
                           init_noise of the seed's noise */
  NS_INIT_IMAGE         /* start from params->init_image */
} NsInit;

typedef struct
{
  double         fraction;       /* 0 .. 1 of the whole run's estimated work */
  int            scale;          /* 0 = coarsest */
  int            n_scales;
  int            iteration;      /* within this scale, 0 = starting */
  int            iterations;     /* planned for this scale */
  int            evaluations;    /* of loss and gradient, this scale so far
                                    (L-BFGS's line search may take several
                                    per iteration) */
  double         loss;           /* weighted total */
  double         content_loss;   /* unweighted terms */
  double         style_loss;
  double         tv_loss;
  const NsImage *image;          /* current estimate, at most 1024 px a
                                    side, when asked for; valid during
                                    the call */
} NsProgress;

typedef void (*NsProgressFunc) (const NsProgress *progress, gpointer user_data);

/* Sources that share a region (the same @region pointer, or none) are
 * blended into one target by their weights; each region's target then
 * applies where its mask does (ns-objective.h: guided Gram matrices). */
typedef struct
{
  const NsImage *image;          /* 3 x H x W */
  double         weight;         /* blend weight, > 0 */
  const NsImage *region;         /* 1 x H x W at the content's size, values
                                    in [0, 1]: where this style applies;
                                    NULL: everywhere */
  const NsImage *sample;         /* 1 x h x w at @image's size, values in
                                    [0, 1]: the part of the style image
                                    whose style is taken; NULL: all */
} NsStyleSource;

typedef struct
{
  double          content_weight;
  double          style_weight;
  double          tv_weight;
  double          preserve_colors;      /* 0 .. 1 */
  int             iterations;            /* per scale, up to detail_side */
  int             detail_side;           /* scales whose long side is
                                            larger get iterations x
                                            (detail_side / side)^2, at
                                            least a tenth; 0: all get
                                            iterations */
  int             max_size;              /* processing long side; 0: full */
  int             min_scale_size;        /* long side of the coarsest scale */
  int             max_scales;
  double          style_scale;           /* style size / content size */
  int             lbfgs_history;         /* steps L-BFGS remembers; 0: 6 */
  guint64         memory_budget;         /* bytes a run may hold; 0: no
                                            limit (ns-memory-plan.h chooses
                                            tiles and history to fit) */
  int             region_masks;          /* distinct style regions with a
                                            mask, for the memory plan
                                            (ns_transfer counts its own) */
  int             tile_side;             /* the network sees tiles with
                                            cores of this side; 0: whole
                                            images (see ns-objective.h) */
  int             tile_workers;          /* tiles evaluated at once, a
                                            thread each; 0: one per thread
                                            when the budget allows, 1: one
                                            at a time on every thread */
  NsOptimiser     optimiser;
  double          adam_learning_rate;
  NsInit          init;
  const NsImage  *init_image;            /* for NS_INIT_IMAGE, any size */
  double          init_noise;            /* 0 .. 1: share of uniform noise
                                            in an NS_INIT_CONTENT start
                                            (1: noise alone) */
  int             seed;                  /* picks that noise, 0 .. G_MAXINT */
  NsProgressFunc  progress;
  gpointer        progress_data;
  int             progress_image_every;  /* iterations; 0: never */
  const gint     *cancel;                /* raised: fail, NS_ERROR_CANCELLED */
  const gint     *stop;                  /* raised: finish with what is there */
} NsTransferParams;

void     ns_transfer_params_init (NsTransferParams *params);

/* Returns the stylised image at the content's size, or NULL with @error. */
NsImage *ns_transfer (NsNetwork              *net,
                      const NsImage          *content,
                      const NsStyleSource    *styles,
                      int                     n_styles,
                      const NsTransferParams *params,
                      GError                **error);

/* The processing sizes (long side) of each scale, coarsest first, for a
 * content of w x h; returns how many (at most @max). */
int      ns_transfer_plan_scales (const NsTransferParams *params, int w, int h,
                                  int *long_sides, int max);

/* The weight of each of @net's style outputs at a scale whose long side is
 * @content_long: 0 for the outputs finer than the most detailed style
 * image has detail at that scale (stride below its enlargement, where
 * they would match interpolation and paint speckle), 1 for the others and
 * always for the coarsest.  @weights: n_style_outputs. */
void     ns_transfer_style_layer_weights (const NsNetwork *net,
                                          const NsTransferParams *params,
                                          int content_long,
                                          const NsStyleSource *styles,
                                          int n_styles, double *weights);

/* The iterations planned at a scale of long side @side. */
int      ns_transfer_iterations_at   (const NsTransferParams *params, int side);

/* Bytes the optimiser keeps for an image of @n_values values (3 H W),
 * the image included. */
gsize    ns_transfer_optimiser_bytes (const NsTransferParams *params,
                                      gsize n_values);
/* The L-BFGS history a run uses. */
int      ns_transfer_history         (const NsTransferParams *params);

G_END_DECLS
