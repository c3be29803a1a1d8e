/* ns-transfer.c: the coarse-to-fine optimisation driver.
 *
 * Per scale: targets (the content's features at the content output, the
 * blended Gram matrices of the styles), a starting image, then L-BFGS
 * (ns-lbfgs.c, in float) or Adam on the pixels.  The pixel range [0, 1] is kept by
 * evaluating the losses at clamp (z) and adding a quadratic penalty on
 * z - clamp (z): a smooth objective whose gradient is exact, which L-BFGS's
 * line search needs.
 */
#include "ns-transfer.h"

#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-lbfgs.h"
#include "ns-memory-plan.h"
#include "ns-objective.h"
#include "ns-pool.h"
#include "ns-preserve-colors.h"

#define LBFGS_MAX_HISTORY 6     /* steps L-BFGS remembers, at most */
#define LBFGS_LINESEARCH  20    /* evaluations per line search, at most */
#define MAX_SCALES       8
#define RANGE_PENALTY    10.0    /* times mean squared excursion */

/* Everything one scale's objective needs. */
typedef struct
{
  NsNetwork              *net;
  const NsTransferParams *params;
  NsStyleTarget         **targets;      /* n_regions */
  NsImage               **masks;        /* n_regions, at this scale; NULL:
                                           everywhere */
  int                     n_regions;
  NsObjective            *objective;
  NsMemoryPlan            plan;         /* tiles and history in budget */
  int                     width;        /* of this scale's image */
  int                     height;
  NsImage                *preview;      /* the latest progress image */
  GError                 *error;        /* first failure inside a callback */
  NsProgress              progress;
  double                  reported;     /* the last fraction reported */
  double                  done_work;    /* fraction before this scale */
  double                  scale_work;   /* this scale's share */
  gboolean                stopped;
  gboolean                cancelled;
} Scale;

void
ns_transfer_params_init (NsTransferParams *p)
{
  memset (p, 0, sizeof *p);
  p->content_weight = 1.0;
  p->style_weight = 5.0;
  p->tv_weight = 0.0;
  p->preserve_colors = 0.0;
  p->iterations = 100;
  p->max_size = 512;
  p->min_scale_size = 128;
  p->max_scales = 4;
  p->style_scale = 1.0;
  p->optimiser = NS_OPTIMISER_LBFGS;
  p->adam_learning_rate = 0.02;
  p->init = NS_INIT_CONTENT;
  p->init_noise = 0.0;
  p->seed = 0;
}

int
ns_transfer_plan_scales (const NsTransferParams *p, int w, int h,
                         int *long_sides, int max)
{
  int full = MAX (w, h);
  int side = p->max_size > 0 ? MIN (p->max_size, full) : full;
  int n = 1, limit = MIN (MAX (p->max_scales, 1), max);

  /* Halve while the next size is still above the coarsest allowed. */
  while (n < limit && side >> n >= MAX (p->min_scale_size, 1))
    n++;
  for (int i = 0; i < n; i++)
    long_sides[i] = MAX (1, side >> (n - 1 - i));
  return n;
}

gsize
ns_transfer_optimiser_bytes (const NsTransferParams *p, gsize n_values)
{
  /* The pixels, then Adam's gradient and two moments, or L-BFGS's
   * gradient, direction and history: all float. */
  if (p->optimiser == NS_OPTIMISER_ADAM)
    return 4 * n_values * sizeof (float);
  return n_values * sizeof (float) + ns_lbfgs_bytes (n_values, ns_transfer_history (p));
}

int
ns_transfer_iterations_at (const NsTransferParams *p, int side)
{
  double ratio;

  if (p->detail_side <= 0 || side <= p->detail_side)
    return p->iterations;
  /* The same work per scale as at detail_side: the large scales sharpen
   * what the smaller ones painted. */
  ratio = (double) p->detail_side / side;
  return MAX ((int) lround (p->iterations * ratio * ratio), MAX (p->iterations / 10, 1));
}

int
ns_transfer_history (const NsTransferParams *p)
{
  return p->lbfgs_history > 0 ? MIN (p->lbfgs_history, LBFGS_MAX_HISTORY) : LBFGS_MAX_HISTORY;
}

static gboolean
flag_raised (const gint *flag)
{
  return flag != NULL && g_atomic_int_get (flag) != 0;
}

/* Polled once per iteration and per evaluation; remembers what it saw. */
static gboolean
should_end (Scale *s)
{
  if (flag_raised (s->params->cancel))
    s->cancelled = TRUE;
  else if (flag_raised (s->params->stop))
    s->stopped = TRUE;
  return s->cancelled || s->stopped || s->error != NULL;
}

/* z (3 x H x W floats) as an image, without a copy. */
static NsImage
image_view (const Scale *s, const float *z)
{
  NsImage view = { s->width, s->height, 3, (float *) z };

  return view;
}

/* Objective at z (n = 3 H W values); writes its gradient to g.  The losses
 * see clamp (z) (the objective and the TV loss clamp as they read). */
static double
evaluate (Scale *s, const float *z, float *g)
{
  const NsTransferParams *p = s->params;
  NsImage                 x = image_view (s, z);
  gsize                   n = ns_image_n_values (&x);
  double                  ls, lc, ltv, excess = 0.0, loss;
  double                  penalty_scale = RANGE_PENALTY / n;

  if (ns_objective_evaluate (s->objective, &x, g, &ls, &lc, &s->error) < 0.0)
    {
      /* Abandoned between tiles for Stop or Cancel: as should_end. */
      if (g_error_matches (s->error, NS_ERROR, NS_ERROR_CANCELLED))
        g_clear_error (&s->error);
      goto failed;
    }
  ltv = p->tv_weight > 0.0 ? ns_tv_loss (&x, p->tv_weight, g) : 0.0;

  for (gsize i = 0; i < n; i++)
    {
      /* d, the excursion outside [0, 1]: there the clamped losses are
       * flat, and only the penalty pulls back. */
      float d = z[i] - CLAMP (z[i], 0.0f, 1.0f);

      if (d != 0.0f)
        {
          excess += (double) d * d;
          g[i] = (float) (2.0 * penalty_scale) * d;
        }
    }
  loss = p->content_weight * lc + p->style_weight * ls + p->tv_weight * ltv
         + penalty_scale * excess;
  s->progress.evaluations++;
  s->progress.loss = loss;
  s->progress.content_loss = lc;
  s->progress.style_loss = ls;
  s->progress.tv_loss = ltv;
  return loss;

failed:
  memset (g, 0, n * sizeof (float));
  return s->progress.loss;
}

/* Progress images are at most this long a side: a view to watch, not the
 * result, so a print-size run does not copy its whole image each time. */
#define PREVIEW_SIDE 1024

/* The run's fraction done at @iterations (fractional within one) of this
 * scale, never less than reported before: an iteration may take several
 * evaluations, each reporting between its tiles. */
static double
advance (Scale *s, double iterations)
{
  double at = s->done_work + s->scale_work * iterations / MAX (s->progress.iterations, 1);

  s->reported = MAX (s->reported, MIN (at, s->done_work + s->scale_work));
  return s->reported;
}

static void
report (Scale *s, const float *z, int iteration)
{
  const NsTransferParams *p = s->params;
  int                     every = p->progress_image_every;

  if (p->progress == NULL)
    return;
  s->progress.iteration = iteration;
  s->progress.fraction = advance (s, iteration);
  s->progress.image = NULL;
  if (every > 0 && iteration % every == 0)
    {
      NsImage view = image_view (s, z);
      int     w, h;

      ns_fit_long_side (s->width, s->height, MIN (PREVIEW_SIDE, MAX (s->width, s->height)), &w, &h);
      ns_image_free (s->preview);
      /* A failed copy only skips one progress image. */
      s->preview = ns_image_resize (&view, w, h, NULL);
      if (s->preview != NULL)
        ns_image_clamp (s->preview, 0.0f, 1.0f);
      s->progress.image = s->preview;
    }
  p->progress (&s->progress, p->progress_data);
}

/* Between the tiles of a long evaluation: progress moves within the
 * iteration, and Stop or Cancel end the evaluation. */
static gboolean
tile_tick (gpointer data, int done, int total)
{
  Scale            *s = data;
  const NsProgress  before = s->progress;

  if (s->params->progress != NULL)
    {
      s->progress.fraction = advance (s, s->progress.iteration + (double) done / total);
      s->progress.image = NULL;
      s->params->progress (&s->progress, s->params->progress_data);
      s->progress = before;
    }
  return !should_end (s);
}

static double
lbfgs_evaluate (gpointer data, const float *z, float *g, gsize n)
{
  Scale *s = data;

  if (should_end (s))
    {
      /* Ends the line search fast: no descent from here. */
      memset (g, 0, n * sizeof (float));
      return s->progress.loss;
    }
  return evaluate (s, z, g);
}

static gboolean
lbfgs_progress (gpointer data, const float *z, double loss, int k)
{
  Scale *s = data;

  (void) loss;
  report (s, z, k);
  return !should_end (s);
}

static gboolean
run_lbfgs (Scale *s, float *z, gsize n)
{
  /* Losses are normalised means, so gradients are tiny: the iteration
   * budget ends the run, not a gradient-norm test. */
  NsLbfgsParams param = { s->plan.history, s->progress.iterations, LBFGS_LINESEARCH };
  NsLbfgsStatus status = ns_lbfgs (z, n, &param, lbfgs_evaluate, lbfgs_progress, s);

  g_debug ("L-BFGS: status %d, budget %d iterations", status, param.max_iterations);
  if (status == NS_LBFGS_NO_MEMORY && s->error == NULL)
    g_set_error (&s->error, NS_ERROR, NS_ERROR_NO_MEMORY,
                 "no memory for L-BFGS's %d steps of %" G_GSIZE_FORMAT " values",
                 param.history, n);
  /* Every other status (iteration limit, stopped, no further descent)
   * leaves z at the best point found, which is a result. */
  return s->error == NULL;
}

static gboolean
run_adam (Scale *s, float *z, gsize n)
{
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double       lr = s->params->adam_learning_rate;
  float       *g = ns_try_alloc0 (n, sizeof (float), &s->error);
  float       *m = g ? ns_try_alloc0 (n, sizeof (float), &s->error) : NULL;
  float       *v = m ? ns_try_alloc0 (n, sizeof (float), &s->error) : NULL;

  for (int k = 1; v != NULL && k <= s->progress.iterations; k++)
    {
      double c1 = 1.0 - pow (beta1, k), c2 = 1.0 - pow (beta2, k);

      if (should_end (s))
        break;
      evaluate (s, z, g);
      if (s->error != NULL || should_end (s))
        break;
      for (gsize i = 0; i < n; i++)
        {
          m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
          v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
          z[i] -= lr * (m[i] / c1) / (sqrt (v[i] / c2) + eps);
        }
      report (s, z, k);
    }
  g_free (g);
  g_free (m);
  g_free (v);
  return s->error == NULL;
}

static void
scale_clear (Scale *s)
{
  ns_objective_free (s->objective);
  for (int r = 0; r < s->n_regions; r++)
    {
      ns_style_target_free (s->targets[r]);
      ns_image_free (s->masks[r]);
    }
  g_free (s->targets);
  g_free (s->masks);
  ns_image_free (s->preview);
  ns_pool_trim ();               /* the next scale's tiles differ in size */
}

/* Style images resized so that their long side is style_scale times the
 * content's at this scale, but never below what the network accepts. */
static NsImage *
style_at_scale (NsNetwork *net, const NsImage *style, int content_long,
                double style_scale, GError **error)
{
  int long_side = MAX ((int) lround (content_long * style_scale), 1);
  int w, h;

  ns_fit_long_side (style->width, style->height, long_side, &w, &h);
  if (MIN (w, h) < net->min_input_size)
    {
      /* Raised to the smallest size whose short side the network takes
       * (enlarging by the ratio of sides, not fitting the long side again,
       * which rounds a 20000 x 24 strip back to one row). */
      int    shorter = MIN (style->width, style->height);
      int    along = (int) ceil ((double) net->min_input_size *
                                 MAX (style->width, style->height) / shorter);

      w = style->width >= style->height ? along : net->min_input_size;
      h = style->width >= style->height ? net->min_input_size : along;
    }
  return ns_image_resize (style, w, h, error);
}

void
ns_transfer_style_layer_weights (const NsNetwork *net, const NsTransferParams *p,
                                 int content_long, const NsStyleSource *styles,
                                 int n_styles, double *weights)
{
  double enlarged = G_MAXDOUBLE;
  int    n = net->n_style_outputs;

  for (int i = 0; i < n_styles; i++)
    enlarged = MIN (enlarged, content_long * p->style_scale /
                              MAX (styles[i].image->width, styles[i].image->height));
  for (int i = 0; i < n; i++)
    weights[i] = net->output_strides[net->style_outputs[i]] >= enlarged || i == n - 1;
}

/* The regions of @styles, in order of first use: sources[i]'s region is
 * regions[of[i]].  Returns how many. */
static int
find_regions (const NsStyleSource *styles, int n_styles, const NsImage **regions, int *of)
{
  int n = 0;

  for (int i = 0; i < n_styles; i++)
    {
      for (of[i] = 0; of[i] < n && regions[of[i]] != styles[i].region; of[i]++)
        ;
      if (of[i] == n)
        regions[n++] = styles[i].region;
    }
  return n;
}

/* Region @r's target (its sources blended) and mask at this scale. */
static gboolean
region_prepare (Scale *s, const NsImage *content, const NsStyleSource *styles,
                int n_styles, const int *of, int r, const NsImage *region,
                const double *layer_weights, int content_long)
{
  NsNetwork *net = s->net;
  double     total_weight = 0.0;
  gboolean   ok = TRUE;

  s->targets[r] = ns_style_target_new (net, net->n_style_outputs, net->style_outputs,
                                       layer_weights);
  for (int i = 0; ok && i < n_styles; i++)
    {
      NsImage *style, *sample = NULL;

      if (of[i] != r)
        continue;
      style = style_at_scale (net, styles[i].image, content_long, s->params->style_scale,
                              &s->error);
      if (style != NULL && styles[i].sample != NULL &&
          (sample = ns_image_resize (styles[i].sample, style->width, style->height,
                                     &s->error)) == NULL)
        g_clear_pointer (&style, ns_image_free);
      ok = style != NULL &&
           ns_style_target_add_image (s->targets[r], net, style, sample, styles[i].weight,
                                      s->plan.tile_side, &s->error);
      total_weight += styles[i].weight;
      ns_image_free (style);
      ns_image_free (sample);
    }
  if (ok)
    ns_style_target_finish (s->targets[r], total_weight);
  if (ok && region != NULL)
    {
      s->masks[r] = ns_image_resize (region, content->width, content->height, &s->error);
      if ((ok = s->masks[r] != NULL))
        ns_image_clamp (s->masks[r], 0.0f, 1.0f);
    }
  return ok;
}

/* Targets and buffers of one scale, for a content already at its size. */
static gboolean
scale_prepare (Scale *s, const NsImage *content, const NsStyleSource *styles,
               int n_styles, int content_long)
{
  NsNetwork      *net = s->net;
  int             side = s->plan.tile_side;
  g_autofree int *of = g_new (int, n_styles);
  double         *layer_weights = g_new (double, net->n_style_outputs);
  g_autofree const NsImage **regions = g_new (const NsImage *, n_styles);
  g_autofree NsStyleRegion  *objective_regions = g_new (NsStyleRegion, n_styles);
  gboolean        ok = TRUE;

  ns_transfer_style_layer_weights (net, s->params, content_long, styles, n_styles, layer_weights);
  s->n_regions = find_regions (styles, n_styles, regions, of);
  s->targets = g_new0 (NsStyleTarget *, s->n_regions);
  s->masks = g_new0 (NsImage *, s->n_regions);
  for (int r = 0; ok && r < s->n_regions; r++)
    {
      ok = region_prepare (s, content, styles, n_styles, of, r, regions[r], layer_weights,
                           content_long);
      objective_regions[r] = (NsStyleRegion) { s->targets[r], s->masks[r] };
    }
  g_free (layer_weights);
  if (!ok)
    return FALSE;
  s->objective = ns_objective_new (net, objective_regions, s->n_regions,
                                   s->params->style_weight, s->params->content_weight, side);
  ns_objective_set_tick (s->objective, tile_tick, s);
  ns_objective_set_workers (s->objective, s->plan.workers);
  /* Every block of the evaluations' sizes stays pooled: a tile's buffers
   * come back the next time, not from fresh pages. */
  ns_pool_set_limit (MAX (s->plan.eval_bytes + s->plan.eval_bytes / 4, NS_POOL_DEFAULT_LIMIT));
  s->width = content->width;
  s->height = content->height;
  ok = ns_objective_set_content (s->objective, content, &s->error);
  ns_pool_trim ();          /* the targets' buffers: other sizes than the
                               optimisation's, they would only idle */
  return ok;
}

/* up (previous) + (content - up (previous content)): the coarse result
 * with the detail that the finer content adds. */
static NsImage *
upsample_with_detail (const NsImage *previous, const NsImage *previous_content,
                      const NsImage *content, GError **error)
{
  NsImage *up = ns_image_resize (previous, content->width, content->height, error);
  NsImage *up_content = up ? ns_image_resize (previous_content, content->width,
                                              content->height, error) : NULL;

  if (up_content == NULL)
    {
      ns_image_free (up);
      return NULL;
    }
  for (gsize i = 0; i < ns_image_n_values (up); i++)
    up->data[i] += content->data[i] - up_content->data[i];
  ns_image_clamp (up, 0.0f, 1.0f);
  ns_image_free (up_content);
  return up;
}

/* (1 - amount) x content + amount x uniform noise from @seed, in place.
 * The noise is drawn at the coarsest scale only, so it does not depend on
 * tiles or threads. */
static void
mix_in_noise (NsImage *image, double amount, int seed)
{
  GRand *rand = g_rand_new_with_seed ((guint32) seed);
  float  keep = (float) (1.0 - amount);

  for (gsize i = 0; i < ns_image_n_values (image); i++)
    image->data[i] = keep * image->data[i] + (float) (amount * g_rand_double (rand));
  g_rand_free (rand);
}

static NsImage *
starting_image (const NsTransferParams *p, const NsImage *content,
                GError **error)
{
  NsImage *start;

  if (p->init == NS_INIT_IMAGE)
    {
      if (p->init_image != NULL && p->init_image->channels == 3)
        return ns_image_resize (p->init_image, content->width, content->height, error);
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "NS_INIT_IMAGE without a 3-channel init_image");
      return NULL;
    }
  start = ns_image_copy (content, error);
  if (start != NULL && p->init_noise > 0.0)
    mix_in_noise (start, p->init_noise, p->seed);
  return start;
}

/* Optimises at one scale; *image holds the start and receives the result. */
static gboolean
optimise_scale (Scale *s, NsImage *image)
{
  gsize    n = ns_image_n_values (image);
  float   *z = image->data;          /* optimised in place */
  gboolean ok;

  report (s, z, 0);
  if (s->params->optimiser == NS_OPTIMISER_ADAM)
    ok = run_adam (s, z, n);
  else
    ok = run_lbfgs (s, z, n);
  ns_image_clamp (image, 0.0f, 1.0f);
  return ok;
}

static gboolean
check_arguments (NsNetwork *net, const NsImage *content,
                 const NsStyleSource *styles, int n_styles,
                 const NsTransferParams *p, GError **error)
{
  const char *bad = NULL;

  if (net == NULL || content == NULL || content->channels != 3)
    bad = "a network and a 3-channel content image are needed";
  else if (n_styles < 1 || styles == NULL)
    bad = "no style image";
  else if (p->iterations < 0 || p->max_size < 0 || p->style_scale <= 0.0 ||
           p->content_weight < 0.0 || p->style_weight < 0.0 || p->tv_weight < 0.0 ||
           !(p->init_noise >= 0.0 && p->init_noise <= 1.0) ||
           !isfinite (p->content_weight + p->style_weight + p->tv_weight))
    bad = "a parameter is out of range";
  for (int i = 0; bad == NULL && i < n_styles; i++)
    if (styles[i].image == NULL || styles[i].image->channels != 3 ||
        !(styles[i].weight > 0.0) || !isfinite (styles[i].weight))
      bad = "a style needs 3 channels and a positive weight";
    else if (styles[i].region != NULL &&
             (styles[i].region->channels != 1 || styles[i].region->width != content->width ||
              styles[i].region->height != content->height))
      bad = "a style's region needs 1 channel and the content's size";
    else if (styles[i].sample != NULL &&
             (styles[i].sample->channels != 1 || styles[i].sample->width != styles[i].image->width ||
              styles[i].sample->height != styles[i].image->height))
      bad = "a style's sample mask needs 1 channel and the style's size";
  if (bad != NULL)
    {
      g_set_error_literal (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, bad);
      return FALSE;
    }
  if (MIN (content->width, content->height) < net->min_input_size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IMAGE_TOO_SMALL,
                   "content %dx%d is below %d px", content->width,
                   content->height, net->min_input_size);
      return FALSE;
    }
  return TRUE;
}

/* Refuses a run that no tiling or history fits into the budget. */
static gboolean
check_memory (const NsFootprint *footprint, const NsImage *content,
              const NsTransferParams *p, GError **error)
{
  NsMemoryPlan plan;

  if (ns_memory_plan_run (p, footprint, content->width, content->height, &plan))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_NO_MEMORY,
               "%dx%d needs at least %" G_GUINT64_FORMAT " MB, the budget is %"
               G_GUINT64_FORMAT " MB", content->width, content->height,
               plan.bytes >> 20, p->memory_budget >> 20);
  return FALSE;
}

/* Brings the processing-size result to the content's size and colours. */
static NsImage *
finish_result (NsImage *result, const NsImage *processed_content,
               const NsImage *content, double preserve_colors, GError **error)
{
  NsImage *full = result;

  if (result->width != content->width || result->height != content->height)
    {
      full = upsample_with_detail (result, processed_content, content, error);
      ns_image_free (result);
      if (full == NULL)
        return NULL;
    }
  ns_preserve_colors (full, content, preserve_colors);
  return full;
}

/* Frees a scale's content unless it is the caller's. */
static void
release (NsImage *scaled, const NsImage *content)
{
  if (scaled != content)
    ns_image_free (scaled);
}

/* The regions of @styles that have a mask. */
static int
count_region_masks (const NsStyleSource *styles, int n_styles)
{
  g_autofree int *of = g_new (int, n_styles);
  g_autofree const NsImage **regions = g_new (const NsImage *, n_styles);
  int             n = find_regions (styles, n_styles, regions, of), masks = 0;

  for (int r = 0; r < n; r++)
    masks += regions[r] != NULL;
  return masks;
}

NsImage *
ns_transfer (NsNetwork *net, const NsImage *content,
             const NsStyleSource *styles, int n_styles,
             const NsTransferParams *p, GError **error)
{
  int         sides[MAX_SCALES], n_scales;
  double      work[MAX_SCALES], total_work = 0.0, done = 0.0;
  NsImage    *image = NULL, *scaled = NULL, *previous = NULL;
  NsFootprint footprint;
  gboolean    ok = TRUE, stopped = FALSE;
  NsTransferParams counted;

  if (!check_arguments (net, content, styles, n_styles, p, error))
    return NULL;
  counted = *p;
  counted.region_masks = count_region_masks (styles, n_styles);
  p = &counted;
  ns_footprint_of (net, &footprint);
  if (!check_memory (&footprint, content, p, error))
    return NULL;
  n_scales = ns_transfer_plan_scales (p, content->width, content->height,
                                      sides, MAX_SCALES);
  for (int i = 0; i < n_scales; i++)
    total_work += work[i] = (double) sides[i] * sides[i] * ns_transfer_iterations_at (p, sides[i]);

  for (int i = 0; ok && !stopped && i < n_scales; i++)
    {
      Scale  s = { 0 };
      int    w, h;
      gint64 scale_start = g_get_monotonic_time ();

      ns_fit_long_side (content->width, content->height, sides[i], &w, &h);
      s.net = net;
      s.params = p;
      s.progress.scale = i;
      s.progress.n_scales = n_scales;
      s.progress.iterations = ns_transfer_iterations_at (p, sides[i]);
      s.done_work = s.reported = done / total_work;
      s.scale_work = work[i] / total_work;
      /* At the content's own size, the content itself: no copy. */
      scaled = w == content->width && h == content->height
               ? (NsImage *) content : ns_image_resize (content, w, h, &s.error);
      ns_memory_plan (p, &footprint, w, h, (double) content->width * content->height,
                      &s.plan);
      g_debug ("scale %d: %dx%d, tiles of %d, %d at once, history %d, about %" G_GUINT64_FORMAT " MB",
               i, w, h, s.plan.tile_side, s.plan.workers, s.plan.history, s.plan.bytes >> 20);
      ok = scaled != NULL && scale_prepare (&s, scaled, styles, n_styles, sides[i]);
      if (ok)
        {
          NsImage *start = previous == NULL
            ? starting_image (p, scaled, &s.error)
            : upsample_with_detail (image, previous, scaled, &s.error);

          ns_image_free (image);
          image = start;
          ok = image != NULL && optimise_scale (&s, image);
        }
      g_debug ("scale %d: %d iterations, %d evaluations, %.1f s", i, s.progress.iteration,
               s.progress.evaluations, (g_get_monotonic_time () - scale_start) / 1e6);
      stopped = s.stopped;
      if (s.cancelled)
        {
          g_clear_error (&s.error);
          g_set_error_literal (&s.error, NS_ERROR, NS_ERROR_CANCELLED, "cancelled");
          ok = FALSE;
        }
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&s.error));
      scale_clear (&s);
      release (previous, content);
      previous = scaled;
      scaled = NULL;
      done += work[i];
    }

  ns_pool_trim ();                 /* the run's buffers go back now */
  if (ok)
    image = finish_result (image, previous, content, p->preserve_colors, error);
  else
    g_clear_pointer (&image, ns_image_free);
  release (previous, content);
  return image;
}
