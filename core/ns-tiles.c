/* ns-tiles.c: planning tiles and mapping them onto the outputs' grids. */
#include "ns-tiles.h"

#include <string.h>

int
ns_tiles_halo (const NsNetwork *net, const gboolean *wanted, NsTilesExact exact)
{
  int radius = 0, a = MAX (net->alignment, 1);

  for (int o = 0; o < net->n_outputs; o++)
    if (wanted[o])
      radius = MAX (radius, net->output_radii[o]);
  /* The reach: exact outputs.  Twice: exact outputs, then exact gradients
   * of the core. */
  if (exact == NS_TILES_GRADIENTS)
    radius *= 2;
  return (radius + a - 1) / a * a;
}

/* The starts of the cores along one side of @size pixels: as few as cores
 * of at most @core allow, of even length rounded up to @a (so the last is
 * no sliver).  Returns how many; @starts has room for size / a + 1. */
static int
split (int size, int core, int a, int *starts)
{
  int n = (size + core - 1) / core;
  int step = ((size + n - 1) / n + a - 1) / a * a;

  for (int i = 0; i < n; i++)
    starts[i] = i * step;
  return n;
}

/* The extended size of every tile along a side of @size: core and halo
 * both ways, grown by less than @a so that the last window, which ends at
 * the image's edge, also starts at a multiple of @a. */
static int
window (int size, int core, int halo, int a)
{
  int e = core + 2 * halo;

  return e >= size ? size : size - (size - e) / a * a;
}

/* The window's start for a core at @x0: halo before it, moved inward at
 * the far edge so that it keeps its size. */
static int
window_start (int x0, int halo, int e, int size)
{
  return MIN (MAX (x0 - halo, 0), size - e);
}

/* The cores' side that windows of @e pixels hold with @halo both ways
 * (one core if @e is the whole @size). */
static int
core_within (int size, int e, int halo, int a)
{
  return e >= size ? size : MAX ((e - 2 * halo) / a * a, a);
}

GArray *
ns_tiles_plan (const NsNetwork *net, const gboolean *wanted, int w, int h,
               int core_side, NsTilesExact exact)
{
  GArray *tiles = g_array_new (FALSE, FALSE, sizeof (NsTile));
  int     a = MAX (net->alignment, 1);
  int     halo = ns_tiles_halo (net, wanted, NS_TILES_GRADIENTS);
  int     core = core_side > 0 ? MAX (core_side / a * a, a) : MAX (w, h);
  int    *xs = g_new (int, w / a + 2), *ys = g_new (int, h / a + 2);
  int     nx = split (w, core, a, xs), ny = split (h, core, a, ys);
  int     cx = nx > 1 ? xs[1] : w, cy = ny > 1 ? ys[1] : h;
  /* Every tile the same size, so one set of buffers serves them all. */
  int     ew = window (w, cx, halo, a), eh = window (h, cy, halo, a);

  /* Exact outputs need half the halo: the same windows hold larger cores,
   * so fewer tiles, and the pool's buffers still fit every tile. */
  if (exact == NS_TILES_OUTPUTS)
    {
      halo = ns_tiles_halo (net, wanted, NS_TILES_OUTPUTS);
      nx = split (w, core_within (w, ew, halo, a), a, xs);
      ny = split (h, core_within (h, eh, halo, a), a, ys);
    }
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        NsTile t;

        t.x0 = xs[i];
        t.y0 = ys[j];
        t.x1 = i + 1 < nx ? xs[i + 1] : w;
        t.y1 = j + 1 < ny ? ys[j + 1] : h;
        t.ex0 = window_start (t.x0, halo, ew, w);
        t.ey0 = window_start (t.y0, halo, eh, h);
        t.ex1 = t.ex0 + ew;
        t.ey1 = t.ey0 + eh;
        g_array_append_val (tiles, t);
      }
  g_free (xs);
  g_free (ys);
  return tiles;
}

void
ns_tile_crop (const NsImage *image, const NsTile *t, NsImage *crop)
{
  int w = t->ex1 - t->ex0, h = t->ey1 - t->ey0;

  crop->width = w;
  crop->height = h;
  crop->channels = image->channels;
  for (int c = 0; c < image->channels; c++)
    for (int y = 0; y < h; y++)
      memcpy (crop->data + ((gsize) c * h + y) * w,
              image->data + ((gsize) c * image->height + t->ey0 + y) * image->width + t->ex0,
              w * sizeof (float));
}

void
ns_tile_output_origin (const NsNetwork *net, const NsTile *t, int output,
                       int *x, int *y)
{
  int s = net->output_strides[output];

  *x = t->ex0 / s;
  *y = t->ey0 / s;
}

void
ns_tile_output_core (const NsNetwork *net, const NsTile *t, int output,
                     const NsTensor *tensor, int w, int h,
                     int *x0, int *y0, int *x1, int *y1)
{
  int s = net->output_strides[output];

  /* Cores start at multiples of the alignment, hence of s; a core that
   * ends at the image's edge takes every position left, however the
   * network rounds the last one. */
  *x0 = (t->x0 - t->ex0) / s;
  *y0 = (t->y0 - t->ey0) / s;
  *x1 = t->x1 == w ? tensor->width : (t->x1 - t->ex0) / s;
  *y1 = t->y1 == h ? tensor->height : (t->y1 - t->ey0) / s;
}
