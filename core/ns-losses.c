/* ns-losses.c: content, Gram style and total-variation losses. */
#include "ns-losses.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-syrk.h"
#include "ns-threads.h"

/* The BLAS calls are split over pixel columns by the core's own threads
 * (OpenBLAS runs single-threaded: its idle threads spin and would take the
 * cores the convolutions need). */
typedef struct
{
  const NsTensor *f;
  float          *partials;      /* n_tasks x C x C, for the Gram */
  const float    *diff;          /* C x C, for the style gradient */
  float           alpha;
  float           beta;          /* 1: add to grad; 0: write it */
  float          *grad;          /* C x HW */
} BlasJob;

static void
gram_task (int task, int n_tasks, gpointer data)
{
  BlasJob *job = data;
  int      c = job->f->channels, hw = job->f->height * job->f->width, first, end;

  ns_task_share (task, n_tasks, hw, &first, &end);
  if (end > first)
    ns_syrk_upper (c, end - first, 1.0f / hw, job->f->data + first, hw, 0.0f,
                   job->partials + (gsize) task * c * c);
  else
    memset (job->partials + (gsize) task * c * c, 0, (gsize) c * c * sizeof (float));
}

/* Every (i, j) below the diagonal of a c x c matrix, a block of
 * MIRROR_BLOCK x MIRROR_BLOCK at a time, for bodies that read (j, i):
 * value by value, each of those reads or writes went to a new cache line
 * (1 ms of a 512-channel Gram of 0.3 ms). */
#define MIRROR_BLOCK 16
#define FOR_BELOW_DIAGONAL(c, i, j)                                     \
  for (int i##_0 = 0; i##_0 < (c); i##_0 += MIRROR_BLOCK)               \
    for (int j##_0 = 0; j##_0 <= i##_0; j##_0 += MIRROR_BLOCK)          \
      for (int i = i##_0; i < MIN (i##_0 + MIRROR_BLOCK, (c)); i++)     \
        for (int j = j##_0; j < MIN (j##_0 + MIRROR_BLOCK, i); j++)

/* The lower triangle of @m (c x c) from its upper. */
static void
mirror_upper (float *m, int c)
{
  FOR_BELOW_DIAGONAL (c, i, j)
    m[i * c + j] = m[j * c + i];
}

void
ns_gram (const NsTensor *f, float *gram)
{
  int     c = f->channels, hw = f->height * f->width;
  int     n_tasks = ns_column_tasks (hw);
  float  *partials = g_new (float, (gsize) n_tasks * c * c);
  BlasJob job = { f, partials, NULL, 0.0f, 0.0f, NULL };

  ns_parallel_for (n_tasks, gram_task, &job);
  /* Summed in task order into the upper triangle, row by row. */
  for (int i = 0; i < c; i++)
    {
      float *row = gram + (gsize) i * c;

      memcpy (row + i, partials + (gsize) i * c + i, (c - i) * sizeof (float));
      for (int t = 1; t < n_tasks; t++)
        {
          const float *add = partials + ((gsize) t * c + i) * c;

          for (int j = i; j < c; j++)
            row[j] += add[j];
        }
    }
  g_free (partials);
  mirror_upper (gram, c);
}

static void
style_grad_task (int task, int n_tasks, gpointer data)
{
  BlasJob *job = data;
  int      c = job->f->channels, hw = job->f->height * job->f->width, first, end;

  ns_task_share (task, n_tasks, hw, &first, &end);
  if (end > first)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, c, end - first, c,
                 job->alpha, job->diff, c, job->f->data + first, hw, job->beta,
                 job->grad + first, hw);
}

static void
style_gradient (const NsTensor *f, const float *diff, float alpha, float beta, float *grad)
{
  int     hw = f->height * f->width;
  BlasJob job = { f, NULL, diff, alpha, beta, grad };

  ns_parallel_for (ns_column_tasks (hw), style_grad_task, &job);
}

void
ns_style_gradient_add (const NsTensor *f, const float *diff, float alpha, float *grad)
{
  style_gradient (f, diff, alpha, 1.0f, grad);
}

void
ns_style_gradient_set (const NsTensor *f, const float *diff, float alpha, float *grad)
{
  style_gradient (f, diff, alpha, 0.0f, grad);
}

/* Rows [y0, y1) of a rectangle, split into one band per task. */
typedef struct
{
  const NsTensor *f;
  int             x0, y0, x1, y1;
  float          *partials;      /* n_tasks x C x C, upper triangles */
} RectGramJob;

static void
rect_gram_task (int task, int n_tasks, gpointer data)
{
  RectGramJob *job = data;
  int          c = job->f->channels, w = job->f->width, hw = w * job->f->height;
  int          rows = job->y1 - job->y0, n = job->x1 - job->x0;
  int          a, b;
  float       *partial = job->partials + (gsize) task * c * c;

  ns_task_share (task, n_tasks, rows, &a, &b);
  a += job->y0;
  b += job->y0;
  memset (partial, 0, (gsize) c * c * sizeof (float));
  if (n == w && b > a)          /* whole rows: one contiguous block */
    ns_syrk_upper (c, (b - a) * w, 1.0f, job->f->data + (gsize) a * w, hw, 0.0f, partial);
  else
    for (int y = a; y < b && n > 0; y++)
      ns_syrk_upper (c, n, 1.0f, job->f->data + (gsize) y * w + job->x0, hw, 1.0f, partial);
}

/* Tasks for a rectangle's rows: ns_column_tasks, at most one a row. */
static int
rect_tasks (int x0, int y0, int x1, int y1)
{
  gsize area = (gsize) MAX (x1 - x0, 0) * MAX (y1 - y0, 0);

  return MIN (ns_column_tasks (area), MAX (y1 - y0, 1));
}

/* Adds the tasks' upper triangles (n_tasks x C x C) to @sum, both
 * triangles, in task order and in double: the upper row by row, the
 * lower a block at a time. */
static void
add_partials (const float *partials, int n_tasks, int c, double *sum)
{
  for (int t = 0; t < n_tasks; t++)
    {
      const float *p = partials + (gsize) t * c * c;

      for (int i = 0; i < c; i++)
        for (int j = i; j < c; j++)
          sum[i * c + j] += p[i * c + j];
      FOR_BELOW_DIAGONAL (c, i, j)
        sum[i * c + j] += p[j * c + i];
    }
}

void
ns_gram_sum_rect (const NsTensor *f, int x0, int y0, int x1, int y1, double *sum)
{
  int         c = f->channels, n_tasks = rect_tasks (x0, y0, x1, y1);
  RectGramJob job = { f, x0, y0, x1, y1, g_new (float, (gsize) n_tasks * c * c) };

  ns_parallel_for (n_tasks, rect_gram_task, &job);
  add_partials (job.partials, n_tasks, c, sum);
  g_free (job.partials);
}

/* ------------------------------------------------- guided by a region */

/* Positions packed per BLAS call: C x 4096 floats of scratch a task.
 * Only positions of weight > 0 are packed (a band of a soft region covers
 * a stripe of the image), channel by channel so that the reads run along
 * each plane. */
#define WEIGHTED_CHUNK 4096

typedef struct
{
  const NsTensor  *f;
  const NsWeights *m;
  int              x0, y0, x1, y1;
  float           *partials;     /* n_tasks x C x C, upper triangles */
  double          *masses;       /* n_tasks */
  const float     *diff;
  float            alpha;
  float           *grad;
} WeightedJob;

/* A task's scratch: the chunk's positions and their factors, the packed
 * features and (for the gradient) the product. */
typedef struct
{
  gsize *at;         /* WEIGHTED_CHUNK positions, y * width + x */
  float *factor;     /* WEIGHTED_CHUNK */
  float *packed;     /* C x WEIGHTED_CHUNK */
  float *product;    /* C x WEIGHTED_CHUNK, or NULL */
} Chunk;

static void
chunk_init (Chunk *k, int channels, gboolean product)
{
  k->at = g_new (gsize, WEIGHTED_CHUNK);
  k->factor = g_new (float, WEIGHTED_CHUNK);
  k->packed = g_new (float, (gsize) channels * WEIGHTED_CHUNK);
  k->product = product ? g_new (float, (gsize) channels * WEIGHTED_CHUNK) : NULL;
}

static void
chunk_clear (Chunk *k)
{
  g_free (k->at);
  g_free (k->factor);
  g_free (k->packed);
  g_free (k->product);
}

/* packed[c][j] = factor[j] F[c][at[j]] for the chunk's @n positions. */
static void
pack_chunk (const NsTensor *f, Chunk *k, int n)
{
  gsize hw = (gsize) f->height * f->width;

  for (int c = 0; c < f->channels; c++)
    {
      const float *plane = f->data + c * hw;
      float       *to = k->packed + (gsize) c * WEIGHTED_CHUNK;

      for (int j = 0; j < n; j++)
        to[j] = k->factor[j] * plane[k->at[j]];
    }
}

/* The next positions with m > 0 in rows [*y, b) of the rectangle, from
 * column *x on, with sqrt (m) as factors; returns how many and where it
 * stopped in *y, *x.  Their m are added to *mass. */
static int
next_gram_chunk (const WeightedJob *job, int *y, int *x, int b, Chunk *k, double *mass)
{
  int n = 0, w = job->f->width;

  for (; *y < b; (*y)++, *x = job->x0)
    for (; *x < job->x1; (*x)++)
      {
        float m = ns_weight_at (job->m, *y, *x);

        if (!(m > 0.0f))
          continue;
        if (n == WEIGHTED_CHUNK)
          return n;
        k->at[n] = (gsize) *y * w + *x;
        k->factor[n++] = sqrtf (m);
        *mass += m;
      }
  return n;
}

static void
weighted_gram_task (int task, int n_tasks, gpointer data)
{
  WeightedJob *job = data;
  int          c = job->f->channels, a, b, y, x, n;
  float       *partial = job->partials + (gsize) task * c * c;
  Chunk        k;

  chunk_init (&k, c, FALSE);
  ns_task_share (task, n_tasks, job->y1 - job->y0, &a, &b);
  y = a + job->y0;
  x = job->x0;
  memset (partial, 0, (gsize) c * c * sizeof (float));
  job->masses[task] = 0.0;
  while ((n = next_gram_chunk (job, &y, &x, b + job->y0, &k, &job->masses[task])) > 0)
    {
      pack_chunk (job->f, &k, n);
      ns_syrk_upper (c, n, 1.0f, k.packed, WEIGHTED_CHUNK, 1.0f, partial);
    }
  chunk_clear (&k);
}

void
ns_gram_sum_rect_weighted (const NsTensor *f, int x0, int y0, int x1, int y1,
                           const NsWeights *m, double *sum, double *mass)
{
  int         c = f->channels, n_tasks = rect_tasks (x0, y0, x1, y1);
  WeightedJob job = { f, m, x0, y0, x1, y1, g_new (float, (gsize) n_tasks * c * c),
                      g_new (double, n_tasks), NULL, 0.0f, NULL };

  ns_parallel_for (n_tasks, weighted_gram_task, &job);
  add_partials (job.partials, n_tasks, c, sum);
  for (int t = 0; t < n_tasks; t++)
    *mass += job.masses[t];
  g_free (job.partials);
  g_free (job.masses);
}

/* The next positions with m > 0 in [*p, end) of the tensor (*p at
 * column *x), with m as factors; returns how many and where it stopped
 * in *p and *x. */
static int
next_grad_chunk (const WeightedJob *job, gsize *p, int *x, gsize end, Chunk *k)
{
  int   n = 0, w = job->f->width;
  gsize y = *p / w;            /* once a chunk; the row then advances */

  for (; *p < end && n < WEIGHTED_CHUNK; (*p)++)
    {
      float m = ns_weight_at (job->m, y, *x);

      if (m > 0.0f)
        {
          k->at[n] = *p;
          k->factor[n++] = m;
        }
      if (++*x == w)
        *x = 0, y++;
    }
  return n;
}

static void
weighted_grad_task (int task, int n_tasks, gpointer data)
{
  WeightedJob *job = data;
  int          c = job->f->channels, hw = job->f->height * job->f->width, first, end, n, x;
  gsize        p;
  Chunk        k;

  chunk_init (&k, c, TRUE);
  ns_task_share (task, n_tasks, hw, &first, &end);
  p = first;
  x = first % job->f->width;
  while ((n = next_grad_chunk (job, &p, &x, end, &k)) > 0)
    {
      pack_chunk (job->f, &k, n);
      /* product = alpha diff (m F), C x n, then added at its positions. */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, c, n, c, job->alpha,
                   job->diff, c, k.packed, WEIGHTED_CHUNK, 0.0f, k.product, WEIGHTED_CHUNK);
      for (int ch = 0; ch < c; ch++)
        {
          float       *plane = job->grad + (gsize) ch * hw;
          const float *from = k.product + (gsize) ch * WEIGHTED_CHUNK;

          for (int j = 0; j < n; j++)
            plane[k.at[j]] += from[j];
        }
    }
  chunk_clear (&k);
}

void
ns_style_gradient_add_weighted (const NsTensor *f, const float *diff, float alpha,
                                const NsWeights *m, float *grad)
{
  int         hw = f->height * f->width;
  WeightedJob job = { f, m, 0, 0, 0, 0, NULL, NULL, diff, alpha, grad };

  ns_parallel_for (ns_column_tasks (hw), weighted_grad_task, &job);
}

NsStyleTarget *
ns_style_target_new (NsNetwork *net, int n_layers, const int *outputs,
                     const double *layer_weights)
{
  NsStyleTarget *t = g_new0 (NsStyleTarget, 1);

  t->n_layers = n_layers;
  t->outputs = g_memdup2 (outputs, n_layers * sizeof (int));
  t->layer_weights = g_new (double, n_layers);
  for (int i = 0; i < n_layers; i++)
    t->layer_weights[i] = layer_weights ? layer_weights[i] : 1.0;
  t->channels = g_new0 (int, n_layers);
  t->grams = g_new0 (float *, n_layers);
  t->norms = g_new0 (double, n_layers);
  (void) net;
  return t;
}

void
ns_style_target_free (NsStyleTarget *t)
{
  if (t == NULL)
    return;
  for (int i = 0; i < t->n_layers; i++)
    g_free (t->grams[i]);
  g_free (t->grams);
  g_free (t->outputs);
  g_free (t->layer_weights);
  g_free (t->channels);
  g_free (t->norms);
  g_free (t);
}

gboolean
ns_style_target_add (NsStyleTarget *t, const NsActivations *acts,
                     double weight, GError **error)
{
  for (int i = 0; i < t->n_layers; i++)
    {
      const NsTensor *f = &acts->outputs[t->outputs[i]];
      int             c = f->channels;
      float          *g;

      g_return_val_if_fail (f->data != NULL, FALSE);
      if (t->grams[i] == NULL)
        {
          t->grams[i] = ns_try_alloc0 ((gsize) c * c, sizeof (float), error);
          if (t->grams[i] == NULL)
            return FALSE;
          t->channels[i] = c;
        }
      g = ns_try_alloc0 ((gsize) c * c, sizeof (float), error);
      if (g == NULL)
        return FALSE;
      ns_gram (f, g);
      for (int k = 0; k < c * c; k++)
        t->grams[i][k] += weight * g[k];
      g_free (g);
    }
  return TRUE;
}

void
ns_style_target_finish (NsStyleTarget *t, double total_weight)
{
  for (int i = 0; i < t->n_layers; i++)
    {
      int    c = t->channels[i];
      double norm = 0.0;

      for (int k = 0; k < c * c; k++)
        {
          t->grams[i][k] /= total_weight;
          norm += (double) t->grams[i][k] * t->grams[i][k];
        }
      /* A flat style (all-zero features) would divide by zero. */
      t->norms[i] = MAX (norm, 1e-12);
    }
}

double
ns_style_loss (const NsStyleTarget *t, const NsActivations *acts,
               double weight, NsTensor *grads, GError **error)
{
  double total = 0.0, weight_sum = 0.0;
  int    max_c = 0;
  float *diff;

  for (int i = 0; i < t->n_layers; i++)
    {
      weight_sum += t->layer_weights[i];
      max_c = MAX (max_c, t->channels[i]);
    }
  diff = ns_try_alloc0 ((gsize) max_c * max_c, sizeof (float), error);
  if (diff == NULL)
    return -1.0;

  for (int i = 0; i < t->n_layers; i++)
    {
      const NsTensor *f = &acts->outputs[t->outputs[i]];
      NsTensor       *g = &grads[t->outputs[i]];
      int             c = t->channels[i], hw = f->height * f->width;
      double          lw = t->layer_weights[i] / weight_sum, sq = 0.0;

      ns_gram (f, diff);
      for (int k = 0; k < c * c; k++)
        {
          diff[k] -= t->grams[i][k];
          sq += (double) diff[k] * diff[k];
        }
      total += lw * sq / t->norms[i];
      /* dL/dF = 4 (G - T) F / (H W ||T||^2), G and T symmetric. */
      if (g->data != NULL && weight != 0.0)
        ns_style_gradient_add (f, diff, (float) (weight * lw * 4.0 / ((double) hw * t->norms[i])),
                            g->data);
    }
  g_free (diff);
  return total;
}

double
ns_content_loss (const NsTensor *f, const NsTensor *target, double weight,
                 NsTensor *grad)
{
  gsize  n = ns_tensor_size (f);
  double sq = 0.0, norm = 0.0;
  float  scale;

  for (gsize i = 0; i < n; i++)
    {
      double d = (double) f->data[i] - target->data[i];

      sq += d * d;
      norm += (double) target->data[i] * target->data[i];
    }
  norm = MAX (norm, 1e-12);
  if (grad != NULL && grad->data != NULL && weight != 0.0)
    {
      scale = (float) (2.0 * weight / norm);
      for (gsize i = 0; i < n; i++)
        grad->data[i] += scale * (f->data[i] - target->data[i]);
    }
  return sq / norm;
}

double
ns_tv_loss (const NsImage *image, double weight, float *grad)
{
  int    w = image->width, h = image->height;
  double sum = 0.0, scale = 1.0 / ns_image_n_values (image);
  float  gscale = (float) (2.0 * weight * scale);

  for (int c = 0; c < image->channels; c++)
    {
      const float *p = image->data + (gsize) c * w * h;
      float       *g = grad ? grad + (gsize) c * w * h : NULL;

      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            gsize i = (gsize) y * w + x;
            float v = CLAMP (p[i], 0.0f, 1.0f);

            if (x + 1 < w)
              {
                float d = CLAMP (p[i + 1], 0.0f, 1.0f) - v;

                sum += (double) d * d;
                if (g)
                  g[i + 1] += gscale * d, g[i] -= gscale * d;
              }
            if (y + 1 < h)
              {
                float d = CLAMP (p[i + w], 0.0f, 1.0f) - v;

                sum += (double) d * d;
                if (g)
                  g[i + w] += gscale * d, g[i] -= gscale * d;
              }
          }
    }
  return sum * scale;
}
