/* ns-memory-plan.c: the tile side and history that fit a budget. */
#include "ns-memory-plan.h"

#include "ns-tiles.h"

#define MIN_CORE       256     /* smaller tiles are mostly halo */
#define FLOAT          4.0

void
ns_footprint_of (const NsNetwork *net, NsFootprint *f)
{
  gboolean *wanted = g_new0 (gboolean, net->n_outputs);
  int       o = net->content_output, s = net->output_strides[o];

  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[o] = TRUE;
  f->halo = ns_tiles_halo (net, wanted);
  f->alignment = MAX (net->alignment, 1);
  f->content_bytes_per_pixel = FLOAT * net->output_channels[o] / ((double) s * s);
  f->eval_bytes_per_pixel = net->eval_bytes_per_pixel;
  g_free (wanted);
}

/* Bytes held for the whole image at a scale of n pixels, optimiser aside:
 * content, image, previous scale's content, content features. */
static double
whole_image_bytes (const NsFootprint *f, double n, double content_pixels)
{
  return 3 * FLOAT * (content_pixels + n + n / 4) + f->content_bytes_per_pixel * n;
}

static double
optimiser_bytes (const NsTransferParams *p, int history, double n)
{
  NsTransferParams q = *p;

  q.lbfgs_history = history;
  /* ns_transfer_optimiser_bytes counts the image too: taken off here. */
  return (double) ns_transfer_optimiser_bytes (&q, (gsize) (3 * n)) - 3 * FLOAT * n;
}

static double
tile_bytes (const NsFootprint *f, int w, int h, int core)
{
  int e = core + 2 * f->halo + f->alignment;   /* windows grow to align */

  if (core <= 0)
    return f->eval_bytes_per_pixel * w * h;
  return f->eval_bytes_per_pixel * MIN (w, e) * MIN (h, e);
}

gboolean
ns_memory_plan (const NsTransferParams *p, const NsFootprint *net, int w, int h,
                double content_pixels, NsMemoryPlan *plan)
{
  double n = (double) w * h, whole = whole_image_bytes (net, n, content_pixels);
  double budget = (double) p->memory_budget, need;
  int    longest = ns_transfer_history (p), a = MAX (net->alignment, 1);

  plan->tile_side = p->tile_side;
  plan->history = longest;
  plan->bytes = (guint64) (whole + optimiser_bytes (p, longest, n)
                           + tile_bytes (net, w, h, p->tile_side));
  if (budget <= 0.0 || plan->bytes <= budget)
    return TRUE;
  for (int m = longest; m >= 1; m--)
    {
      double left = budget - whole - optimiser_bytes (p, m, n);
      int    core = MAX (w, h) / a * a;

      /* The largest core that fits, if it is not all halo. */
      while (core > MIN_CORE && tile_bytes (net, w, h, core) > left)
        core = (core * 3 / 4) / a * a;
      need = whole + optimiser_bytes (p, m, n) + tile_bytes (net, w, h, core);
      plan->tile_side = core;
      plan->history = m;
      plan->bytes = (guint64) need;
      /* Shorter histories only when the tiles would be small. */
      if (need <= budget && (core >= 2 * MIN_CORE || m == 1 || p->optimiser == NS_OPTIMISER_ADAM))
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
