/* ns-memory-plan.c: the tile side and history that fit a budget. */
#include "ns-memory-plan.h"

#include "ns-threads.h"
#include "ns-tiles.h"

#define MIN_CORE       256     /* smaller tiles are mostly halo */
#define FLOAT          4.0

/* Group @g of @f: the outputs flagged in @wanted, @share of the work. */
static void
group_of (const NsNetwork *net, const gboolean *wanted, double share, NsFootprint *f, int g)
{
  f->groups[g].halo = ns_tiles_halo (net, wanted, NS_TILES_GRADIENTS);
  f->groups[g].outputs_halo = ns_tiles_halo (net, wanted, NS_TILES_OUTPUTS);
  f->groups[g].share = share;
}

/* The independent outputs' groups, each output's share of the work taken
 * as its share of the positions (1 / stride^2): the built-in pyramid
 * computes the same maps at every level. */
static void
independent_groups (const NsNetwork *net, const gboolean *wanted, NsFootprint *f)
{
  gboolean *one = g_new0 (gboolean, net->n_outputs);
  double    total = 0.0;

  f->n_groups = 0;
  for (int k = 0; k < net->n_outputs; k++)
    if (wanted[k])
      total += 1.0 / ((double) net->output_strides[k] * net->output_strides[k]);
  for (int k = 0; k < net->n_outputs; k++)
    if (wanted[k])
      {
        double s = net->output_strides[k];

        one[k] = TRUE;
        group_of (net, one, 1.0 / (s * s) / total, f, f->n_groups++);
        one[k] = FALSE;
      }
  g_free (one);
}

void
ns_footprint_of (const NsNetwork *net, NsFootprint *f)
{
  gboolean *wanted = g_new0 (gboolean, net->n_outputs);
  int       o = net->content_output, s = net->output_strides[o], n_wanted = 0;

  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[o] = TRUE;
  for (int k = 0; k < net->n_outputs; k++)
    n_wanted += wanted[k];
  f->halo = ns_tiles_halo (net, wanted, NS_TILES_GRADIENTS);
  f->alignment = MAX (net->alignment, 1);
  f->content_bytes_per_pixel = FLOAT * net->output_channels[o] / ((double) s * s);
  f->eval_bytes_per_pixel = net->eval_bytes_per_pixel;
  if (net->outputs_independent && n_wanted <= NS_FOOTPRINT_MAX_GROUPS)
    independent_groups (net, wanted, f);
  else
    {
      f->n_groups = 1;
      group_of (net, wanted, 1.0, f, 0);
    }
  g_free (wanted);
}

int
ns_footprint_window (const NsFootprint *f, int core, int halo)
{
  return core + 2 * halo + f->alignment;
}

/* Bytes held for the whole image at a scale of n pixels, optimiser aside:
 * content, image, previous scale's content, content features; per region
 * mask, the caller's mask at the content's size, its copy at the scale
 * and its maps on the style layers' grids (at most 4/3 of the scale's). */
static double
whole_image_bytes (const NsTransferParams *p, const NsFootprint *f, double n,
                   double content_pixels)
{
  return 3 * FLOAT * (content_pixels + n + n / 4) + f->content_bytes_per_pixel * n
         + p->region_masks * FLOAT * (content_pixels + n + 4 * n / 3);
}

static double
optimiser_bytes (const NsTransferParams *p, int history, double n)
{
  NsTransferParams q = *p;

  q.lbfgs_history = history;
  /* ns_transfer_optimiser_bytes counts the image too: taken off here. */
  return (double) ns_transfer_optimiser_bytes (&q, (gsize) (3 * n)) - 3 * FLOAT * n;
}

/* One evaluation's bytes on a tile of @core (0: the whole image). */
static double
tile_bytes (const NsFootprint *f, int w, int h, int core)
{
  int e = ns_footprint_window (f, core, f->halo);

  if (core <= 0)
    return f->eval_bytes_per_pixel * w * h;
  return f->eval_bytes_per_pixel * MIN (w, e) * MIN (h, e);
}

/* Tiles evaluated at once: one per thread when there are several. */
static int
workers_for (int w, int h, int core, int threads)
{
  return core <= 0 || core >= MAX (w, h) ? 1 : threads;
}

/* Fills @plan with @core, @history and @workers and what they need. */
static void
plan_with (const NsTransferParams *p, const NsFootprint *net, int w, int h,
           double content_pixels, int core, int history, int workers,
           NsMemoryPlan *plan)
{
  double whole = whole_image_bytes (p, net, (double) w * h, content_pixels);

  plan->tile_side = core;
  plan->history = history;
  plan->workers = workers_for (w, h, core, workers);
  plan->eval_bytes = (guint64) (plan->workers * tile_bytes (net, w, h, core));
  plan->bytes = (guint64) (whole + optimiser_bytes (p, history, (double) w * h))
                + plan->eval_bytes;
}

gboolean
ns_memory_plan (const NsTransferParams *p, const NsFootprint *net, int w, int h,
                double content_pixels, NsMemoryPlan *plan)
{
  double budget = (double) p->memory_budget;
  int    longest = ns_transfer_history (p), a = MAX (net->alignment, 1);
  /* Tiles at once: as asked, or one per thread if the budget allows. */
  int    most = p->tile_workers > 0 ? p->tile_workers : ns_get_num_threads ();
  int    least = p->tile_workers > 0 ? p->tile_workers : 1;
  int    tries[2] = { most, least }, n_tries = most > least ? 2 : 1;

  plan_with (p, net, w, h, content_pixels, p->tile_side, longest, most, plan);
  if (budget <= 0.0 || plan->bytes <= budget)
    return TRUE;
  /* The largest cores that fit, if they are not all halo: with the most
   * tiles at once (measured faster than threads inside one tile: 222
   * against 310 s on a 24 MP scale) while the history keeps two steps,
   * then with the least, shortening the history as far as one step. */
  for (int k = 0; k < n_tries; k++)
    for (int m = longest, workers = tries[k]; m >= (workers > least ? 2 : 1); m--)
      {
        int core = MAX (w, h) / a * a;

        /* A step of the alignment, not of a quarter, which tried only a
         * few sides (VGG19 at 2560 px: 800, 592, 432 ...) and so took
         * tiles up to a quarter smaller than what fits, and more of
         * them. */
        do
          {
            plan_with (p, net, w, h, content_pixels, core, m, workers, plan);
            core -= a;
          }
        while (plan->tile_side > MIN_CORE && plan->bytes > budget);
        if (plan->bytes <= budget &&
            (plan->tile_side >= 2 * MIN_CORE ||
             (workers == least && (m == 1 || p->optimiser == NS_OPTIMISER_ADAM))))
          return TRUE;
      }
  return plan->bytes <= budget;
}

gboolean
ns_memory_plan_run (const NsTransferParams *p, const NsFootprint *net, int width,
                    int height, NsMemoryPlan *plan)
{
  int sides[16], n, w, h;

  n = ns_transfer_plan_scales (p, width, height, sides, G_N_ELEMENTS (sides));
  ns_fit_long_side (width, height, sides[n - 1], &w, &h);
  return ns_memory_plan (p, net, w, h, (double) width * height, plan);
}

int
ns_memory_plan_largest (const NsTransferParams *p, const NsFootprint *net,
                        int width, int height)
{
  NsTransferParams q = *p;
  NsMemoryPlan     plan;
  int              lo = 0, hi = MAX (width, height);

  /* Memory grows with the processing size: bisect on it. */
  while (lo < hi)
    {
      int mid = (lo + hi + 1) / 2;

      q.max_size = mid;
      if (ns_memory_plan_run (&q, net, width, height, &plan))
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}
