/* ns-objective.c: style and content losses over tiles, one pass or two. */
#include "ns-objective.h"

#include <string.h>

#include "ns-error.h"
#include "ns-pool.h"
#include "ns-threads.h"

struct _NsObjective
{
  NsNetwork           *net;
  const NsStyleTarget *style;         /* the first region's: the layers */
  NsStyleRegion       *regions;       /* n_regions */
  int                  n_regions;
  NsImage            **maps;          /* n_regions x n_layers: each mask on
                                         each style layer's grid, whole
                                         image; NULL: everywhere */
  int                  n_parts;       /* a region everywhere is one part, a
                                         masked one NS_REGION_BANDS */
  int                 *part_region;   /* n_parts */
  int                 *part_band;     /* n_parts: 0 everywhere, else 1 ..
                                         NS_REGION_BANDS */
  double               style_weight;
  double               content_weight;
  int                  core_side;
  gboolean            *wanted;        /* n_outputs: style and content */
  NsTensor             content;       /* the whole image's content output */
  double               content_norm;  /* ||content||^2 */
  NsObjectiveTick      tick;
  gpointer             tick_data;
  int                  workers;       /* tiles evaluated at once */
};

void
ns_objective_set_tick (NsObjective *o, NsObjectiveTick tick, gpointer data)
{
  o->tick = tick;
  o->tick_data = data;
}

void
ns_objective_set_workers (NsObjective *o, int workers)
{
  o->workers = MAX (workers, 1);
}

/* Calls the tick after a tile pass; FALSE, with @error, to abandon. */
static gboolean
tile_done (const NsObjective *o, int done, int total, GError **error)
{
  if (o->tick == NULL || o->tick (o->tick_data, done, total))
    return TRUE;
  g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "evaluation abandoned");
  return FALSE;
}

/* What the first pass gathers and the second uses, per term: part p
 * and style layer i at p * n_layers + i. */
typedef struct
{
  double **sums;          /* C x C: m F F^T summed over the cores */
  double  *masses;        /* m summed over the cores (positions: no mask) */
  double  *counts;        /* per layer: positions summed */
  float  **diffs;         /* C x C: G - T, G the whole image's Gram; NULL
                             where the region is empty at that layer */
  float   *alphas;        /* factor of m diffs F in the feature gradient */
  double   content_sq;    /* sum of (F - F_content)^2 over the cores */
} Stats;

NsObjective *
ns_objective_new (NsNetwork *net, const NsStyleRegion *regions, int n_regions,
                  double style_weight, double content_weight, int core_side)
{
  NsObjective         *o = g_new0 (NsObjective, 1);
  const NsStyleTarget *style = regions[0].target;

  o->net = net;
  o->style = style;
  o->regions = g_memdup2 (regions, n_regions * sizeof *regions);
  o->n_regions = n_regions;
  o->maps = g_new0 (NsImage *, n_regions * style->n_layers);
  o->part_region = g_new (int, n_regions * NS_REGION_BANDS);
  o->part_band = g_new (int, n_regions * NS_REGION_BANDS);
  for (int r = 0; r < n_regions; r++)
    for (int b = regions[r].mask ? 1 : 0; b <= (regions[r].mask ? NS_REGION_BANDS : 0); b++)
      {
        o->part_region[o->n_parts] = r;
        o->part_band[o->n_parts++] = b;
      }
  o->style_weight = style_weight;
  o->content_weight = content_weight;
  o->core_side = core_side;
  o->workers = 1;
  o->wanted = g_new0 (gboolean, net->n_outputs);
  for (int i = 0; i < style->n_layers; i++)
    o->wanted[style->outputs[i]] = TRUE;
  o->wanted[net->content_output] = TRUE;
  return o;
}

void
ns_objective_free (NsObjective *o)
{
  if (o == NULL)
    return;
  for (int k = 0; k < o->n_regions * o->style->n_layers; k++)
    ns_image_free (o->maps[k]);
  g_free (o->maps);
  g_free (o->part_region);
  g_free (o->part_band);
  g_free (o->regions);
  g_free (o->content.data);
  g_free (o->wanted);
  g_free (o);
}

/* The network on the tile of @image, clamped to [0, 1] (the optimiser's
 * values may stray outside; the losses are those of the clamped image). */
static NsActivations *
tile_forward (NsNetwork *net, const NsImage *image, const NsTile *t,
              const gboolean *wanted, GError **error)
{
  /* From the pool: every tile of a pass asks for one of a few sizes. */
  gsize          n = (gsize) image->channels * (t->ex1 - t->ex0) * (t->ey1 - t->ey0);
  NsImage        input = { 0, 0, 0, ns_pool_alloc (n, sizeof (float), error) };
  NsWindow       where = { t->ex0, t->ey0, image->width, image->height };
  NsActivations *acts;

  if (input.data == NULL)
    return NULL;
  ns_tile_crop (image, t, &input);
  ns_image_clamp (&input, 0.0f, 1.0f);
  acts = ns_network_forward_window (net, &input, &where, wanted, error);
  ns_pool_free (input.data, n, sizeof (float));
  return acts;
}

/* --------------------------------------------------------- content */

/* Each region's mask on each style layer's grid. */
static gboolean
make_maps (NsObjective *o, const NsImage *content, GError **error)
{
  int n = o->style->n_layers;

  for (int r = 0; r < o->n_regions; r++)
    {
      const NsImage *mask = o->regions[r].mask;

      if (mask == NULL)
        continue;
      if (mask->channels != 1 || mask->width != content->width || mask->height != content->height)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                       "a region's mask is %dx%dx%d, the content %dx%d", mask->width,
                       mask->height, mask->channels, content->width, content->height);
          return FALSE;
        }
      for (int i = 0; i < n; i++)
        {
          ns_image_free (o->maps[r * n + i]);
          o->maps[r * n + i] = ns_network_map_at_output (o->net, mask, o->style->outputs[i], error);
          if (o->maps[r * n + i] == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
ns_objective_set_content (NsObjective *o, const NsImage *content, GError **error)
{
  NsNetwork *net = o->net;
  int        out = net->content_output, w = content->width, h = content->height;
  gboolean  *only = g_new0 (gboolean, net->n_outputs);
  GArray    *tiles;
  gboolean   ok = make_maps (o, content, error);

  only[out] = TRUE;
  tiles = ns_tiles_plan (net, only, w, h, o->core_side, NS_TILES_OUTPUTS);
  g_clear_pointer (&o->content.data, g_free);
  /* Last tile first: it reaches the far corner, so its origin and size
   * give the whole output's size. */
  for (int i = (int) tiles->len - 1; ok && i >= 0; i--)
    {
      const NsTile   *t = &g_array_index (tiles, NsTile, i);
      NsActivations  *acts = tile_forward (net, content, t, only, error);
      const NsTensor *f;
      int             ox, oy, x0, y0, x1, y1;

      if ((ok = acts != NULL) == FALSE)
        break;
      f = &acts->outputs[out];
      ns_tile_output_origin (net, t, out, &ox, &oy);
      if (o->content.data == NULL)
        {
          o->content = (NsTensor) { f->channels, oy + f->height, ox + f->width, NULL };
          o->content.data = ns_try_alloc0 (ns_tensor_size (&o->content), sizeof (float), error);
          ok = o->content.data != NULL;
        }
      ns_tile_output_core (net, t, out, f, w, h, &x0, &y0, &x1, &y1);
      for (int c = 0; ok && c < f->channels; c++)
        for (int y = y0; y < y1; y++)
          memcpy (o->content.data + ((gsize) c * o->content.height + oy + y) * o->content.width + ox + x0,
                  f->data + ((gsize) c * f->height + y) * f->width + x0,
                  (x1 - x0) * sizeof (float));
      ns_activations_free (acts);
    }
  g_array_unref (tiles);
  g_free (only);
  o->content_norm = 0.0;
  for (gsize i = 0; ok && i < ns_tensor_size (&o->content); i++)
    o->content_norm += (double) o->content.data[i] * o->content.data[i];
  o->content_norm = MAX (o->content_norm, 1e-12);
  return ok;
}

/* The content target at the tile's position (c, y, x) of its output. */
static inline float
content_at (const NsObjective *o, int ox, int oy, int c, int y, int x)
{
  return o->content.data[((gsize) c * o->content.height + oy + y) * o->content.width + ox + x];
}

/* sum of (F - target)^2 over [x0, x1) x [y0, y1) of the tile's F. */
static double
content_sq (const NsObjective *o, const NsTensor *f, int ox, int oy,
            int x0, int y0, int x1, int y1)
{
  double sq = 0.0;

  for (int c = 0; c < f->channels; c++)
    for (int y = y0; y < y1; y++)
      {
        const float *row = f->data + ((gsize) c * f->height + y) * f->width;

        for (int x = x0; x < x1; x++)
          {
            double d = (double) row[x] - content_at (o, ox, oy, c, y, x);

            sq += d * d;
          }
      }
  return sq;
}

/* grad += scale * (F - target) at every position of the tile's F. */
static void
content_gradient (const NsObjective *o, const NsTensor *f, int ox, int oy,
                  float scale, float *grad)
{
  for (int c = 0; c < f->channels; c++)
    for (int y = 0; y < f->height; y++)
      {
        gsize at = ((gsize) c * f->height + y) * f->width;

        for (int x = 0; x < f->width; x++)
          grad[at + x] += scale * (f->data[at + x] - content_at (o, ox, oy, c, y, x));
      }
}

/* ------------------------------------------------------------ stats */

static int
n_terms (const NsObjective *o)
{
  return o->n_parts * o->style->n_layers;
}

static void
stats_init (Stats *st, const NsObjective *o)
{
  int n = n_terms (o), layers = o->style->n_layers;

  st->sums = g_new0 (double *, n);
  st->diffs = g_new0 (float *, n);
  st->masses = g_new0 (double, n);
  st->counts = g_new0 (double, layers);
  st->alphas = g_new0 (float, n);
  for (int k = 0; k < n; k++)
    st->sums[k] = g_new0 (double, (gsize) o->style->channels[k % layers] *
                                  o->style->channels[k % layers]);
  st->content_sq = 0.0;
}

static void
stats_clear (Stats *st, int n)
{
  for (int i = 0; i < n; i++)
    {
      g_free (st->sums[i]);
      g_free (st->diffs[i]);
    }
  g_free (st->sums);
  g_free (st->diffs);
  g_free (st->masses);
  g_free (st->counts);
  g_free (st->alphas);
}

/* Adds F F^T over the core of @t in @output's tensor @f to @sum, and the
 * positions summed to *count. */
static void
add_core_gram (const NsNetwork *net, const NsTile *t, int output, const NsTensor *f,
               int w, int h, double *sum, double *count)
{
  int x0, y0, x1, y1;

  ns_tile_output_core (net, t, output, f, w, h, &x0, &y0, &x1, &y1);
  ns_gram_sum_rect (f, x0, y0, x1, y1, sum);
  *count += (double) (x1 - x0) * (y1 - y0);
}

/* Part @part's map on style layer @i's grid; NULL: everywhere. */
static const NsImage *
part_map (const NsObjective *o, int part, int i)
{
  return o->maps[o->part_region[part] * o->style->n_layers + i];
}

/* A whole-image @map's weights over the tile's tensor of @output, band
 * @band of NS_REGION_BANDS (0: the map itself). */
static NsWeights
map_on_tile (const NsNetwork *net, const NsTile *t, int output, const NsImage *map, int band)
{
  int ox, oy;

  ns_tile_output_origin (net, t, output, &ox, &oy);
  return (NsWeights) { map->data + (gsize) oy * map->width + ox, map->width, band,
                       NS_REGION_BANDS };
}

/* Part @part's weights over the tile's tensor of style layer @i. */
static NsWeights
tile_weights (const NsObjective *o, const NsTile *t, int part, int i)
{
  return map_on_tile (o->net, t, o->style->outputs[i], part_map (o, part, i),
                      o->part_band[part]);
}

/* Every region's (guided) Gram sums of style layer @i over the tile's core. */
static void
gather_layer (const NsObjective *o, const NsTensor *f, const NsTile *t, int i,
              int w, int h, Stats *st)
{
  int    layers = o->style->n_layers, x0, y0, x1, y1;
  double area;

  ns_tile_output_core (o->net, t, o->style->outputs[i], f, w, h, &x0, &y0, &x1, &y1);
  area = (double) (x1 - x0) * (y1 - y0);
  st->counts[i] += area;
  for (int part = 0; part < o->n_parts; part++)
    {
      int k = part * layers + i;

      if (part_map (o, part, i) == NULL)
        {
          ns_gram_sum_rect (f, x0, y0, x1, y1, st->sums[k]);
          st->masses[k] += area;
        }
      else
        {
          NsWeights m = tile_weights (o, t, part, i);

          ns_gram_sum_rect_weighted (f, x0, y0, x1, y1, &m, st->sums[k], &st->masses[k]);
        }
    }
}

/* Pass one over a tile: its cores' Gram sums and content error, for the
 * outputs in @group. */
static void
gather (const NsObjective *o, const NsActivations *acts, const NsTile *t,
        int w, int h, const gboolean *group, Stats *st)
{
  NsNetwork *net = o->net;
  int        out = net->content_output, x0, y0, x1, y1, ox, oy;

  for (int i = 0; i < o->style->n_layers; i++)
    if (group[o->style->outputs[i]])
      gather_layer (o, &acts->outputs[o->style->outputs[i]], t, i, w, h, st);
  if (!group[out])
    return;
  ns_tile_output_core (net, t, out, &acts->outputs[out], w, h, &x0, &y0, &x1, &y1);
  ns_tile_output_origin (net, t, out, &ox, &oy);
  st->content_sq += content_sq (o, &acts->outputs[out], ox, oy, x0, y0, x1, y1);
}

/* Between the passes: the style loss (unweighted) and each term's
 * G - T and gradient factor. */
static double
style_loss (const NsObjective *o, Stats *st)
{
  int    layers = o->style->n_layers;
  double total = 0.0, weight_sum = 0.0;

  for (int i = 0; i < layers; i++)
    weight_sum += o->style->layer_weights[i];
  for (int k = 0; k < n_terms (o); k++)
    {
      int                  part = k / layers, i = k % layers, band = o->part_band[part];
      const NsStyleTarget *t = o->regions[o->part_region[part]].target;
      int                  c = t->channels[i];
      /* A band paints with its level's share of the style's strength. */
      double               strength = band > 0 ? (double) band / NS_REGION_BANDS : 1.0;
      double               lw = strength * t->layer_weights[i] / weight_sum, sq = 0.0;

      /* A region that misses this layer's grid (or a sliver of it whose
       * Gram would be noise) adds nothing. */
      if (!(st->masses[k] > 1e-6 * st->counts[i]))
        continue;
      st->diffs[k] = g_new (float, (gsize) c * c);
      for (int j = 0; j < c * c; j++)
        {
          st->diffs[k][j] = (float) (st->sums[k][j] / st->masses[k]) - t->grams[i][j];
          sq += (double) st->diffs[k][j] * st->diffs[k][j];
        }
      /* L_k = (mass / H W) ||G - T||^2 / ||T||^2, G = sum m F F^T / mass:
       * dL_k/dF(p) = 4 m(p) (G - T) F(p) / (H W ||T||^2), G, T symmetric. */
      total += lw * (st->masses[k] / st->counts[i]) * sq / t->norms[i];
      st->alphas[k] = (float) (o->style_weight * lw * 4.0 / (st->counts[i] * t->norms[i]));
    }
  return total;
}

/* Zeroes @g unless a term has written it (*@written), and marks it
 * written. */
static void
zero_unwritten (NsTensor *g, gboolean *written)
{
  if (!*written && g->data != NULL)
    memset (g->data, 0, ns_tensor_size (g) * sizeof (float));
  *written = TRUE;
}

/* Pass two over a tile: feature gradients of the outputs in @group from
 * the whole image's statistics, backward, and the core of the input
 * gradient into @grad (added when other groups add theirs). */
static gboolean
spread (const NsObjective *o, NsActivations *acts, const NsTile *t,
        const gboolean *group, gboolean add, const Stats *st,
        const NsImage *x, float *grad, GError **error)
{
  NsNetwork *net = o->net;
  int        tw = t->ex1 - t->ex0, th = t->ey1 - t->ey0, out = net->content_output, ox, oy;
  NsTensor  *grads = g_new0 (NsTensor, net->n_outputs);
  gboolean  *written = g_new0 (gboolean, net->n_outputs);
  float     *tile_grad = ns_pool_alloc ((gsize) 3 * tw * th, sizeof (float), error);
  gboolean   ok = tile_grad != NULL;

  /* Each map is zeroed only if its first term adds: a plain style term
   * writes it whole (at 1024 px the built-in network's maps are 290 MB
   * to zero and read back as zeros). */
  for (int k = 0; ok && k < net->n_outputs; k++)
    if (group[k])
      {
        grads[k] = acts->outputs[k];
        grads[k].data = ns_pool_alloc (ns_tensor_size (&grads[k]), sizeof (float), error);
        ok = grads[k].data != NULL;
      }
  for (int k = 0; ok && k < n_terms (o); k++)
    {
      int             i = k % o->style->n_layers, output = o->style->outputs[i];
      const NsTensor *f = &acts->outputs[output];
      const NsImage  *map = part_map (o, k / o->style->n_layers, i);
      NsWeights       m;

      if (o->style_weight == 0.0 || !group[output] || st->diffs[k] == NULL)
        continue;
      if (map == NULL)
        (written[output] ? ns_style_gradient_add : ns_style_gradient_set)
          (f, st->diffs[k], st->alphas[k], grads[output].data);
      else
        {
          m = tile_weights (o, t, k / o->style->n_layers, i);
          zero_unwritten (&grads[output], &written[output]);
          ns_style_gradient_add_weighted (f, st->diffs[k], st->alphas[k], &m, grads[output].data);
        }
      written[output] = TRUE;
    }
  for (int k = 0; ok && k < net->n_outputs; k++)
    if (group[k])
      zero_unwritten (&grads[k], &written[k]);      /* the content's, or no term */
  if (ok && o->content_weight != 0.0 && group[out])
    {
      ns_tile_output_origin (net, t, out, &ox, &oy);
      content_gradient (o, &acts->outputs[out], ox, oy,
                        (float) (2.0 * o->content_weight / o->content_norm), grads[out].data);
    }
  ok = ok && ns_network_backward (net, acts, grads, tile_grad, error);
  for (int c = 0; ok && c < 3; c++)
    for (int y = t->y0; y < t->y1; y++)
      {
        float       *to = grad + ((gsize) c * x->height + y) * x->width + t->x0;
        const float *from = tile_grad + ((gsize) c * th + y - t->ey0) * tw + t->x0 - t->ex0;

        if (add)
          for (int i = 0; i < t->x1 - t->x0; i++)
            to[i] += from[i];
        else
          memcpy (to, from, (t->x1 - t->x0) * sizeof (float));
      }
  for (int k = 0; k < net->n_outputs; k++)
    ns_pool_free (grads[k].data, ns_tensor_size (&grads[k]), sizeof (float));
  ns_pool_free (tile_grad, (gsize) 3 * tw * th, sizeof (float));
  g_free (written);
  g_free (grads);
  return ok;
}

/* The groups of outputs evaluated together.  A network whose outputs
 * depend on one another (VGG19: the deep ones need every layer before)
 * has one.  One whose outputs share only cheap work (the built-in
 * pyramid) evaluates each output over tiles of its own halo when the
 * image takes several tiles: the fine levels, most of the work, then
 * need a few pixels of halo instead of the coarsest level's 160. */
static int
make_groups (const NsObjective *o, int w, int h, gboolean ***groups)
{
  NsNetwork *net = o->net;
  GArray    *tiles = ns_tiles_plan (net, o->wanted, w, h, o->core_side, NS_TILES_GRADIENTS);
  gboolean   split = net->outputs_independent && tiles->len > 1;
  int        n = 0;

  g_array_unref (tiles);
  *groups = g_new0 (gboolean *, net->n_outputs);
  for (int k = 0; k < net->n_outputs; k++)
    if (o->wanted[k] && (split || n == 0))
      {
        (*groups)[n] = g_new0 (gboolean, net->n_outputs);
        if (split)
          (*groups)[n][k] = TRUE;
        else
          memcpy ((*groups)[n], o->wanted, net->n_outputs * sizeof (gboolean));
        n++;
      }
  return n;
}

static void
free_groups (gboolean **groups, int n)
{
  for (int g = 0; g < n; g++)
    g_free (groups[g]);
  g_free (groups);
}

/* One pass over one group's tiles, shared by the workers. */
typedef struct
{
  const NsObjective *o;
  const NsImage     *x;
  GArray            *tiles;
  const gboolean    *group;
  gboolean           second;
  gboolean           add;       /* pass two adds to @grad (several groups) */
  gboolean           tick;      /* after each tile (not for one tile in all) */
  NsActivations     *kept;      /* one tile in all: pass one's activations */
  Stats             *mine;      /* pass one: each worker's sums */
  const Stats       *st;        /* pass two: the whole image's */
  float             *grad;
  GMutex             lock;      /* the tick and the first error */
  int                passes;
  int                total;
  gint               failed;    /* atomic */
  GError            *error;
} Pass;

/* One tile of a pass; FALSE, with @error, on failure. */
static gboolean
pass_tile (Pass *p, const NsTile *t, Stats *mine, GError **error)
{
  const NsObjective *o = p->o;
  NsActivations     *acts = p->tick ? NULL : p->kept;
  gboolean           ok;

  if (acts == NULL)
    acts = tile_forward (o->net, p->x, t, p->group, error);
  ok = acts != NULL;
  if (ok && !p->second)
    gather (o, acts, t, p->x->width, p->x->height, p->group, mine);
  if (ok && p->second)
    ok = spread (o, acts, t, p->group, p->add, p->st, p->x, p->grad, error);
  if (ok && !p->second && !p->tick)
    p->kept = acts;                 /* the one tile: pass two reuses them */
  else
    {
      ns_activations_free (acts);
      if (!p->tick)
        p->kept = NULL;
    }
  return ok;
}

/* Worker @task of @n_tasks: tiles task, task + n_tasks, ... (a fixed
 * share, so that the sums add up in the same order on every run). */
static void
pass_task (int task, int n_tasks, gpointer data)
{
  Pass *p = data;

  for (guint i = task; i < p->tiles->len && !g_atomic_int_get (&p->failed); i += n_tasks)
    {
      GError  *error = NULL;
      gboolean ok = pass_tile (p, &g_array_index (p->tiles, NsTile, i), &p->mine[task], &error);

      g_mutex_lock (&p->lock);
      if (ok && p->tick)
        ok = tile_done (p->o, ++p->passes, p->total, &error);
      if (!ok && !g_atomic_int_get (&p->failed))
        {
          g_propagate_error (&p->error, error);
          g_atomic_int_set (&p->failed, TRUE);
        }
      else
        g_clear_error (&error);
      g_mutex_unlock (&p->lock);
    }
}

/* Pass one or two over every group's tiles, tiles on up to o->workers
 * threads at once. */
static gboolean
run_pass (Pass *p, gboolean second, gboolean **groups, GArray **tiles, int n_groups)
{
  p->second = second;
  for (int g = 0; g < n_groups && !p->failed; g++)
    {
      p->tiles = tiles[g];
      p->group = groups[g];
      ns_parallel_for (MIN (p->o->workers, (int) tiles[g]->len), pass_task, p);
    }
  return !p->failed;
}

static void
stats_add (Stats *to, const Stats *from, const NsObjective *o)
{
  int layers = o->style->n_layers;

  for (int k = 0; k < n_terms (o); k++)
    {
      int c = o->style->channels[k % layers];

      for (gsize j = 0; j < (gsize) c * c; j++)
        to->sums[k][j] += from->sums[k][j];
      to->masses[k] += from->masses[k];
    }
  for (int i = 0; i < layers; i++)
    to->counts[i] += from->counts[i];
  to->content_sq += from->content_sq;
}

double
ns_objective_evaluate (NsObjective *o, const NsImage *x, float *grad,
                       double *style_out, double *content_out, GError **error)
{
  gboolean **groups;
  int        n_groups = make_groups (o, x->width, x->height, &groups);
  /* Per group: pass one's tiles, exact outputs; pass two's, exact
   * gradients (the same windows, more of them). */
  GArray   **tiles[2] = { g_new0 (GArray *, n_groups), g_new0 (GArray *, n_groups) };
  Stats      st;
  Pass       p = { .o = o, .x = x, .add = n_groups > 1, .st = &st, .grad = grad };
  double     ls = -1.0, lc;

  for (int g = 0; g < n_groups; g++)
    {
      tiles[0][g] = ns_tiles_plan (o->net, groups[g], x->width, x->height, o->core_side,
                                   NS_TILES_OUTPUTS);
      tiles[1][g] = ns_tiles_plan (o->net, groups[g], x->width, x->height, o->core_side,
                                   NS_TILES_GRADIENTS);
      p.total += tiles[0][g]->len + tiles[1][g]->len;
    }
  /* One tile in all (then the same for both passes): pass two reuses pass
   * one's activations. */
  p.tick = n_groups > 1 || tiles[1][0]->len > 1;
  if (n_groups > 1)
    memset (grad, 0, ns_image_n_values (x) * sizeof (float));
  stats_init (&st, o);
  p.mine = g_new0 (Stats, o->workers);
  for (int w = 0; w < o->workers; w++)
    stats_init (&p.mine[w], o);
  g_mutex_init (&p.lock);
  if (run_pass (&p, FALSE, groups, tiles[0], n_groups))
    {
      for (int w = 0; w < o->workers; w++)
        stats_add (&st, &p.mine[w], o);
      ls = style_loss (o, &st);
      run_pass (&p, TRUE, groups, tiles[1], n_groups);
    }
  ns_activations_free (p.kept);
  g_mutex_clear (&p.lock);
  lc = st.content_sq / o->content_norm;
  for (int w = 0; w < o->workers; w++)
    stats_clear (&p.mine[w], n_terms (o));
  g_free (p.mine);
  stats_clear (&st, n_terms (o));
  for (int pass = 0; pass < 2; pass++)
    {
      for (int g = 0; g < n_groups; g++)
        g_array_unref (tiles[pass][g]);
      g_free (tiles[pass]);
    }
  free_groups (groups, n_groups);
  if (p.failed)
    {
      g_propagate_error (error, p.error);
      return -1.0;
    }
  *style_out = ls;
  *content_out = lc;
  return o->style_weight * ls + o->content_weight * lc;
}

/* ------------------------------------------------------- style target */

/* The sample mask on each of @target's layers' grids (NULL: none). */
static NsImage **
sample_maps (const NsStyleTarget *target, NsNetwork *net, const NsImage *image,
             const NsImage *sample, GError **error)
{
  NsImage **maps = g_new0 (NsImage *, MAX (target->n_layers, 1));

  if (sample != NULL && (sample->channels != 1 || sample->width != image->width ||
                         sample->height != image->height))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "a style's sample mask is %dx%dx%d, the style %dx%d", sample->width,
                   sample->height, sample->channels, image->width, image->height);
      g_free (maps);
      return NULL;
    }
  for (int i = 0; sample != NULL && i < target->n_layers; i++)
    if ((maps[i] = ns_network_map_at_output (net, sample, target->outputs[i], error)) == NULL)
      {
        for (int j = 0; j < i; j++)
          ns_image_free (maps[j]);
        g_clear_pointer (&maps, g_free);
        break;
      }
  return maps;
}

/* Layer @i's (guided) Gram sums over the tile's core: the masses are the
 * positions summed when there is no map. */
static void
add_sample_gram (NsNetwork *net, const NsTile *t, int output, const NsTensor *f,
                 int w, int h, const NsImage *map, double *sum, double *mass)
{
  int       x0, y0, x1, y1;
  NsWeights m;

  if (map == NULL)
    {
      add_core_gram (net, t, output, f, w, h, sum, mass);
      return;
    }
  ns_tile_output_core (net, t, output, f, w, h, &x0, &y0, &x1, &y1);
  m = map_on_tile (net, t, output, map, 0);
  ns_gram_sum_rect_weighted (f, x0, y0, x1, y1, &m, sum, mass);
}

gboolean
ns_style_target_add_image (NsStyleTarget *target, NsNetwork *net,
                           const NsImage *image, const NsImage *sample, double weight,
                           int core_side, GError **error)
{
  int       n = target->n_layers;
  gboolean *wanted;
  NsImage **maps;
  GArray   *tiles;
  Stats     st;
  gboolean  ok;

  g_return_val_if_fail (n > 0, FALSE);
  wanted = g_new0 (gboolean, net->n_outputs);
  maps = sample_maps (target, net, image, sample, error);
  ok = maps != NULL;

  for (int i = 0; i < n; i++)
    wanted[target->outputs[i]] = TRUE;
  tiles = ns_tiles_plan (net, wanted, image->width, image->height, core_side, NS_TILES_OUTPUTS);
  st.sums = g_new0 (double *, n);
  st.masses = g_new0 (double, n);
  for (guint k = 0; ok && k < tiles->len; k++)
    {
      const NsTile  *t = &g_array_index (tiles, NsTile, k);
      NsActivations *acts = tile_forward (net, image, t, wanted, error);

      for (int i = 0; (ok = acts != NULL) && i < n; i++)
        {
          const NsTensor *f = &acts->outputs[target->outputs[i]];

          if (st.sums[i] == NULL)
            st.sums[i] = g_new0 (double, (gsize) f->channels * f->channels);
          if (target->grams[i] == NULL)
            {
              target->channels[i] = f->channels;
              target->grams[i] = g_new0 (float, (gsize) f->channels * f->channels);
            }
          add_sample_gram (net, t, target->outputs[i], f, image->width, image->height,
                           maps[i], st.sums[i], &st.masses[i]);
        }
      ns_activations_free (acts);
    }
  for (int i = 0; ok && i < n; i++)
    if (!(st.masses[i] > 0.0))
      {
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "a style's sample mask leaves nothing at %s", net->output_names[target->outputs[i]]);
        ok = FALSE;
      }
  for (int i = 0; ok && i < n; i++)
    for (int k = 0; k < target->channels[i] * target->channels[i]; k++)
      target->grams[i][k] += (float) (weight * st.sums[i][k] / st.masses[i]);
  for (int i = 0; i < n; i++)
    {
      g_free (st.sums[i]);
      if (maps != NULL)
        ns_image_free (maps[i]);
    }
  g_free (maps);
  g_free (st.sums);
  g_free (st.masses);
  g_array_unref (tiles);
  g_free (wanted);
  return ok;
}
