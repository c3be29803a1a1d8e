/* ns-memory-plan.c: the tile side and history that fit a budget. */
#include "ns-memory-plan.h"

#include "ns-tiles.h"

#define MIN_CORE       256     /* smaller tiles are mostly halo */
#define FLOAT          4.0

/* Bytes held for the whole image at a scale of n pixels, optimiser aside. */
static double
whole_image_bytes (const NsNetwork *net, double n, double content_pixels)
{
  int    o = net->content_output, s = net->output_strides[o];
  double features = (double) net->output_channels[o] / ((double) s * s);

  /* content, image, previous scale's content, content target */
  return 3 * FLOAT * (content_pixels + n + n / 4) + FLOAT * features * n;
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
tile_bytes (const NsNetwork *net, int w, int h, int core, double per_pixel)
{
  gboolean *wanted = g_new0 (gboolean, net->n_outputs);
  int       halo;

  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[net->content_output] = TRUE;
  halo = ns_tiles_halo (net, wanted);
  g_free (wanted);
  if (core <= 0)
    return per_pixel * w * h;
  /* Windows grow by less than the alignment to start on it. */
  return per_pixel * MIN (w, core + 2 * halo + net->alignment)
                   * MIN (h, core + 2 * halo + net->alignment);
}

gboolean
ns_memory_plan (const NsTransferParams *p, const NsNetwork *net, int w, int h,
                double content_pixels, double per_pixel, NsMemoryPlan *plan)
{
  double n = (double) w * h, whole = whole_image_bytes (net, n, content_pixels);
  double budget = (double) p->memory_budget, need;
  int    longest = ns_transfer_history (p), a = MAX (net->alignment, 1);

  plan->tile_side = p->tile_side;
  plan->history = longest;
  plan->bytes = (guint64) (whole + optimiser_bytes (p, longest, n)
                           + tile_bytes (net, w, h, p->tile_side, per_pixel));
  if (budget <= 0.0 || plan->bytes <= budget)
    return TRUE;
  for (int m = longest; m >= 1; m--)
    {
      double left = budget - whole - optimiser_bytes (p, m, n);
      int    core = MAX (w, h) / a * a;

      /* The largest core that fits, if it is not all halo. */
      while (core > MIN_CORE && tile_bytes (net, w, h, core, per_pixel) > left)
        core = (core * 3 / 4) / a * a;
      need = whole + optimiser_bytes (p, m, n) + tile_bytes (net, w, h, core, per_pixel);
      plan->tile_side = core;
      plan->history = m;
      plan->bytes = (guint64) need;
      /* Shorter histories only when the tiles would be small. */
      if (need <= budget && (core >= 4 * MIN_CORE || m == 1 || p->optimiser == NS_OPTIMISER_ADAM))
        return TRUE;
    }
  return plan->bytes <= budget;
}

gboolean
ns_memory_plan_run (const NsTransferParams *p, const NsNetwork *net, int width,
                    int height, double per_pixel, NsMemoryPlan *plan)
{
  int sides[16], n, w, h;

  n = ns_transfer_plan_scales (p, width, height, sides, G_N_ELEMENTS (sides));
  ns_fit_long_side (width, height, sides[n - 1], &w, &h);
  return ns_memory_plan (p, net, w, h, (double) width * height, per_pixel, plan);
}
