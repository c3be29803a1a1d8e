/* ns-estimate.c: a short real run at two small sizes, extrapolated. */
#include "ns-estimate.h"

#include <math.h>

#include "ns-memory.h"

/* Iterations per calibration run; the first one is left out of the timing
 * (first touches of fresh buffers, L-BFGS's first line search). */
#define CAL_ITERATIONS 3
#define MAX_SCALES     8
/* Evaluations per iteration of L-BFGS, its line search included: measured
 * 1.01 .. 1.20 over runs of 20 and 100 iterations, style weights 1 .. 100,
 * on both networks.  The first iterations, which calibration sees, take
 * more: time is therefore measured per evaluation. */
#define LBFGS_EVALUATIONS_PER_ITERATION 1.1
/* The second calibration size is the largest of these whose evaluation is
 * expected to take at most CAL_BUDGET_S: per-pixel costs grow once buffers
 * outgrow the caches, so the closer to real sizes the better. */
#define CAL_BUDGET_S   0.3
static const int calibration_sides[] = { 96, 192, 384, 768 };
/* Finishing a run whose processing size is below the content's: the result
 * and the content's detail are brought to full size, 3 floats per pixel
 * each, with one more such image alive while the detail is added. */
#define FINISH_BYTES_PER_PIXEL (3 * 3 * sizeof (float))

typedef struct
{
  gint64 at[CAL_ITERATIONS + 1];    /* monotonic µs at each iteration's report */
  int    evaluations[CAL_ITERATIONS + 1];   /* done by then */
  int    last;                      /* the last iteration reported */
} Clock;

static void
on_progress (const NsProgress *progress, gpointer data)
{
  Clock *clock = data;

  if (progress->iteration <= CAL_ITERATIONS)
    {
      clock->at[progress->iteration] = g_get_monotonic_time ();
      clock->evaluations[progress->iteration] = progress->evaluations;
      clock->last = MAX (clock->last, progress->iteration);
    }
}

/* Smooth stripes and blobs: a photo-like load for the optimiser without
 * needing the user's pixels. */
static NsImage *
synthetic_image (int side, double phase, GError **error)
{
  NsImage *image = ns_image_new (side, side, 3, error);

  for (int c = 0; image != NULL && c < 3; c++)
    for (int y = 0; y < side; y++)
      for (int x = 0; x < side; x++)
        image->data[((gsize) c * side + y) * side + x] = (float)
          (0.5 + 0.25 * sin (0.11 * x * (c + 1) + phase) + 0.2 * cos (0.07 * y + 0.05 * x * c - phase));
  return image;
}

typedef struct
{
  double   pixels;
  double   seconds_per_evaluation;
  double   setup_evaluations;   /* features of content and style, before the first */
  double   peak_bytes;          /* without the optimiser's own vectors */
  gboolean peak_measured;
} Sample;

/* One short run at side x side. */
static gboolean
measure (NsNetwork *net, const NsTransferParams *params, int side,
         Sample *sample, GError **error)
{
  NsTransferParams p = *params;
  NsStyleSource    source = { NULL, 1.0, NULL, NULL };
  NsImage         *content = synthetic_image (side, 0.0, error);
  NsImage         *style = content ? synthetic_image (side, 2.0, error) : NULL;
  NsImage         *result = NULL;
  Clock            clock = { { 0 }, { 0 }, -1 };
  guint64          before = 0, peak;
  gint64           start = 0;

  source.image = style;
  p.iterations = CAL_ITERATIONS;
  p.max_size = side;
  p.max_scales = 1;
  p.style_scale = 1.0;
  p.init = NS_INIT_CONTENT;
  p.init_image = NULL;
  p.progress = on_progress;
  p.progress_data = &clock;
  p.progress_image_every = 0;
  p.stop = NULL;
  if (style != NULL)
    {
      sample->peak_measured = ns_memory_peak_begin (&before);
      start = g_get_monotonic_time ();
      result = ns_transfer (net, content, &source, 1, &p, error);
    }
  if (result != NULL)
    {
      int    timed = clock.last >= 2 ? clock.evaluations[clock.last] - clock.evaluations[1] : 0;
      double per = timed > 0
        ? (clock.at[clock.last] - clock.at[1]) / 1e6 / timed
        : (g_get_monotonic_time () - start) / 1e6;

      peak = sample->peak_measured ? ns_memory_peak_end () : 0;
      sample->pixels = (double) side * side;
      sample->seconds_per_evaluation = MAX (per, 1e-6);
      sample->setup_evaluations = MAX ((clock.at[0] - start) / 1e6, 0.0) / sample->seconds_per_evaluation;
      sample->peak_bytes = MAX ((double) peak - (double) before
                                - (double) ns_transfer_optimiser_bytes (&p, 3 * (gsize) side * side),
                                0.0);
    }
  ns_image_free (result);
  ns_image_free (style);
  ns_image_free (content);
  return result != NULL;
}

/* Peak bytes per pixel of a forward pass alone, as for a style's features:
 * it keeps no optimiser state and computes no gradients. */
static gboolean
measure_forward (NsNetwork *net, int side, double *bytes_per_pixel,
                 GError **error)
{
  gboolean      *wanted = g_new0 (gboolean, net->n_outputs);
  NsImage       *image = synthetic_image (side, 2.0, error);
  NsActivations *acts = NULL;
  guint64        before = 0, peak = 0;
  gboolean       measured;

  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[net->content_output] = TRUE;
  measured = image != NULL && ns_memory_peak_begin (&before);
  if (image != NULL)
    acts = ns_network_forward (net, image, wanted, error);
  if (measured && acts != NULL)
    peak = ns_memory_peak_end ();
  *bytes_per_pixel = peak > before ? (double) (peak - before) / ((double) side * side) : 0.0;
  ns_activations_free (acts);
  ns_image_free (image);
  g_free (wanted);
  return image != NULL && acts != NULL;
}

/* a + b * x through two points, neither part below 0. */
static void
fit_line (double x1, double y1, double x2, double y2, double *a, double *b)
{
  *b = (y2 - y1) / (x2 - x1);
  *a = y1 - *b * x1;
  if (*b <= 0.0)            /* noise larger than the trend: proportional */
    {
      *b = y2 / x2;
      *a = 0.0;
    }
  else if (*a < 0.0)
    {
      *a = 0.0;
      *b = y2 / x2;
    }
}

gboolean
ns_calibrate (NsNetwork *net, const NsTransferParams *params,
              NsCalibration *cal, GError **error)
{
  Sample s[2] = { { 0 } };
  int    second = 1;

  ns_footprint_of (net, &cal->footprint);
  if (!measure (net, params, MAX (calibration_sides[0], 2 * net->min_input_size), &s[0], error))
    return FALSE;
  /* Assuming cost in proportion to pixels, which overestimates from the
   * smallest size: a safe choice. */
  while (second + 1 < (int) G_N_ELEMENTS (calibration_sides) &&
         s[0].seconds_per_evaluation * calibration_sides[second + 1] * calibration_sides[second + 1]
         / s[0].pixels <= CAL_BUDGET_S)
    second++;
  if (!measure (net, params, MAX (calibration_sides[second], 4 * net->min_input_size), &s[1], error))
    return FALSE;
  fit_line (s[0].pixels, s[0].seconds_per_evaluation, s[1].pixels, s[1].seconds_per_evaluation,
            &cal->evaluation_fixed, &cal->evaluation_per_pixel);
  cal->setup_ratio = 0.5 * (s[0].setup_evaluations + s[1].setup_evaluations);
  cal->memory_measured = s[0].peak_measured && s[1].peak_measured;
  fit_line (s[0].pixels, s[0].peak_bytes, s[1].pixels, s[1].peak_bytes,
            &cal->bytes_fixed, &cal->bytes_per_pixel);
  return measure_forward (net, (int) sqrt (s[1].pixels), &cal->forward_bytes_per_pixel, error);
}

/* How many cores of at most @core cover @size. */
static int
cores_along (int size, int core)
{
  return core >= size ? 1 : (size + core - 1) / core;
}

/* The pixels one group of outputs evaluates at a scale of w x h with
 * tiles of @core, in whole-image evaluations: every tile's window forward
 * and backward (pass two), and, a forward pass being about a third of an
 * evaluation, a third of that for pass one's tiles, the same windows with
 * half the halo and so larger cores (ns_tiles_plan). */
static double
group_pixels (const NsFootprint *f, const NsFootprintGroup *g, int w, int h, int core)
{
  int    e = ns_footprint_window (f, core, g->halo);
  int    ew = MIN (w, e), eh = MIN (h, e);
  int    outputs_core = MAX (e - 2 * g->outputs_halo, core);
  double tiles = cores_along (w, core) * (double) cores_along (h, core);
  double outputs_tiles = (ew >= w ? 1 : cores_along (w, outputs_core))
                         * (double) (eh >= h ? 1 : cores_along (h, outputs_core));

  return (tiles + outputs_tiles / 3.0) * ew * (double) eh;
}

/* The same for the whole network with tiles of @core (0: whole): its
 * groups' pixels, each by its share of the work. */
static double
evaluated_pixels (const NsFootprint *f, int w, int h, int core)
{
  double pixels = 0.0;

  if (core <= 0 || (core >= w && core >= h))
    return (double) w * h;
  for (int g = 0; g < f->n_groups; g++)
    pixels += f->groups[g].share * group_pixels (f, &f->groups[g], w, h, core);
  return pixels;
}

void
ns_estimate (const NsCalibration *cal, const NsTransferParams *params,
             int width, int height, NsEstimate *estimate)
{
  int    sides[MAX_SCALES], n_scales, w = width, h = height;
  double seconds = 0.0, peak = 0.0, full = (double) width * height;
  double per_iteration = params->optimiser == NS_OPTIMISER_ADAM
                         ? 1.0 : LBFGS_EVALUATIONS_PER_ITERATION;

  n_scales = ns_transfer_plan_scales (params, width, height, sides, MAX_SCALES);
  for (int i = 0; i < n_scales; i++)
    {
      double       n, n_style, t, t_style, optimiser;
      NsMemoryPlan plan;

      ns_fit_long_side (width, height, sides[i], &w, &h);
      n = (double) w * h;
      n_style = n * params->style_scale * params->style_scale;
      ns_memory_plan (params, &cal->footprint, w, h, full, &plan);
      t = cal->evaluation_fixed +
          cal->evaluation_per_pixel * evaluated_pixels (&cal->footprint, w, h, plan.tile_side);
      t_style = cal->evaluation_fixed + cal->evaluation_per_pixel * n_style;
      /* Setup: the content's and the style's features, forward only. */
      seconds += ns_transfer_iterations_at (params, sides[i]) * per_iteration * t
                 + cal->setup_ratio * 0.5 * (t + t_style);
      optimiser = (double) ns_transfer_optimiser_bytes (params, 3 * (gsize) n);
      if (plan.tile_side > 0)       /* the caller holds the content */
        peak = MAX (peak, cal->bytes_fixed + (double) plan.bytes - 12.0 * full);
      else
        peak = MAX (peak, cal->bytes_fixed + MAX (cal->bytes_per_pixel * n + optimiser,
                                                  cal->forward_bytes_per_pixel * n_style));
    }
  if ((double) w * h < full)
    peak = MAX (peak, FINISH_BYTES_PER_PIXEL * full);
  estimate->seconds = seconds;
  estimate->bytes = cal->memory_measured ? (guint64) peak : 0;
}
