/* test-tiles.c: the loss and gradient evaluated over tiles equal the whole
 * image's, for both networks; a tiled run leaves no seam.
 *
 *   test-tiles --tap DATA-DIR      (DATA-DIR holds vgg19-small.safetensors)
 */
#include <math.h>
#include <string.h>

#include "ns-builtin.h"
#include "ns-error.h"
#include "ns-memory.h"
#include "ns-memory-plan.h"
#include "ns-objective.h"
#include "ns-test-util.h"
#include "ns-threads.h"
#include "ns-transfer.h"
#include "ns-vgg.h"

static const char *data_dir;

static NsNetwork *
open_network (const char *name)
{
  return ns_test_network_open (data_dir, strcmp (name, "builtin") == 0
                                         ? NULL : "vgg19-small.safetensors");
}

typedef struct
{
  const char *network;
  int         width, height, core_side;
  int         min_tiles;          /* the plan must really cut the image */
} Case;

/* Loss and gradient at a random image against a style target and the
 * content target, with tiles of @core_side (0: whole), @workers at once. */
static double
evaluate (NsNetwork *net, const NsImage *content, const NsImage *style,
          const NsImage *x, int core_side, int workers, float *grad,
          double *ls, double *lc)
{
  NsStyleTarget *target = ns_style_target_new (net, net->n_style_outputs,
                                               net->style_outputs, NULL);
  NsObjective   *o;
  double         loss;
  GError        *error = NULL;

  g_assert_true (ns_style_target_add_image (target, net, style, NULL, 1.0, core_side, &error));
  ns_style_target_finish (target, 1.0);
  o = ns_objective_new (net, &(NsStyleRegion) { target, NULL }, 1, 5.0, 1.0, core_side);
  ns_objective_set_workers (o, workers);
  g_assert_true (ns_objective_set_content (o, content, &error));
  loss = ns_objective_evaluate (o, x, grad, ls, lc, &error);
  g_assert_no_error (error);
  ns_objective_free (o);
  ns_style_target_free (target);
  return loss;
}

static void
test_tiled_equals_whole (gconstpointer data)
{
  const Case *c = data;
  NsNetwork  *net = open_network (c->network);
  NsImage    *content = ns_test_pattern_image (c->width, c->height, 0.0);
  NsImage    *style = ns_test_pattern_image (c->width, c->height, 2.0);
  NsImage    *x = ns_image_new (c->width, c->height, 3, NULL);
  GRand      *rand = g_rand_new_with_seed (11);
  gsize       n = ns_image_n_values (x);
  float      *whole = g_new (float, n), *tiled = g_new (float, n), *again = g_new (float, n);
  double      ls_w, lc_w, ls_t, lc_t, loss_w, loss_t, ls_again, lc_again;
  gboolean    wanted[64] = { FALSE };
  GArray     *tiles;

  /* The content with noise: both losses and all gradients non-zero. */
  for (gsize i = 0; i < n; i++)
    x->data[i] = CLAMP (content->data[i] + 0.2f * ((float) g_rand_double (rand) - 0.5f), 0.0f, 1.0f);
  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[net->content_output] = TRUE;
  /* Both passes' plans really cut the image: pass one's (exact outputs)
   * with fewer, larger cores. */
  for (int exact = NS_TILES_OUTPUTS; exact <= NS_TILES_GRADIENTS; exact++)
    {
      tiles = ns_tiles_plan (net, wanted, c->width, c->height, c->core_side, exact);
      g_assert_cmpuint (tiles->len, >=, exact == NS_TILES_OUTPUTS ? 2 : (guint) c->min_tiles);
      for (guint i = 0; i < tiles->len; i++)
        {
          const NsTile *t = &g_array_index (tiles, NsTile, i);

          /* some tile is cut by the halo on a side that is not the image's */
          if (t->ex0 > 0 || t->ey0 > 0 || t->ex1 < c->width || t->ey1 < c->height)
            break;
          g_assert_cmpuint (i + 1, <, tiles->len);
        }
      if (exact == NS_TILES_OUTPUTS)
        g_array_unref (tiles);
    }

  loss_w = evaluate (net, content, style, x, 0, 1, whole, &ls_w, &lc_w);
  g_assert_cmpfloat (ls_w, >, 1e-6);
  g_assert_cmpfloat (lc_w, >, 1e-6);
  /* One tile at a time, then two at once on two threads. */
  ns_set_num_threads (2);
  for (int workers = 1; workers <= 2; workers++)
    {
      loss_t = evaluate (net, content, style, x, c->core_side, workers, tiled, &ls_t, &lc_t);
      g_test_message ("%s %dx%d, %u tiles, %d at once: loss %.9g vs %.9g, gradient error %.2e",
                      c->network, c->width, c->height, tiles->len, workers, loss_t, loss_w,
                      ns_test_relative_error_f (tiled, whole, n));
      g_assert_cmpfloat (fabs (ls_t - ls_w) / ls_w, <=, 1e-4);
      g_assert_cmpfloat (fabs (lc_t - lc_w) / lc_w, <=, 1e-4);
      g_assert_cmpfloat (ns_test_relative_error_f (tiled, whole, n), <=, 1e-4);
    }
  /* Each worker's share of the tiles is fixed: the same sums each time. */
  evaluate (net, content, style, x, c->core_side, 2, again, &ls_again, &lc_again);
  g_assert_cmpmem (again, n * sizeof (float), tiled, n * sizeof (float));
  g_assert_cmpfloat (ls_again, ==, ls_t);
  ns_set_num_threads (0);

  g_array_unref (tiles);
  g_free (whole);
  g_free (tiled);
  g_free (again);
  g_rand_free (rand);
  ns_image_free (x);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* The objective over one whole image gives the losses and gradient of
 * ns_style_loss, ns_content_loss and backward, the functions that
 * test-reference and test-vgg check against PyTorch: runs go through the
 * objective, so this ties them to those references. */
static void
test_whole_equals_reference_losses (gconstpointer data)
{
  const char    *name = data;
  NsNetwork     *net = open_network (name);
  NsImage       *content = ns_test_pattern_image (96, 80, 0.0);
  NsImage       *style = ns_test_pattern_image (64, 64, 2.0);
  NsImage       *x = ns_image_copy (content, NULL);
  gboolean      *wanted = g_new0 (gboolean, net->n_outputs);
  NsTensor      *grads = g_new0 (NsTensor, net->n_outputs);
  gsize          n = ns_image_n_values (x);
  float         *want = g_new (float, n), *got = g_new (float, n);
  NsStyleTarget *target = ns_style_target_new (net, net->n_style_outputs,
                                               net->style_outputs, NULL);
  NsActivations *acts;
  NsTensor       content_target;
  double         ls, lc, ls_o, lc_o;
  int            co = net->content_output;

  for (gsize i = 0; i < n; i++)
    x->data[i] = 0.5f * x->data[i] + 0.25f * (float) ((i * 7919) % 1000) / 1000.0f;
  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[co] = TRUE;
  acts = ns_network_forward (net, style, wanted, NULL);
  g_assert_true (ns_style_target_add (target, acts, 1.0, NULL));
  ns_style_target_finish (target, 1.0);
  ns_activations_free (acts);
  acts = ns_network_forward (net, content, wanted, NULL);
  content_target = acts->outputs[co];
  acts->outputs[co].data = NULL;
  ns_activations_free (acts);

  acts = ns_network_forward (net, x, wanted, NULL);
  for (int k = 0; k < net->n_outputs; k++)
    if (wanted[k])
      {
        grads[k] = acts->outputs[k];
        grads[k].data = g_new0 (float, ns_tensor_size (&grads[k]));
      }
  ls = ns_style_loss (target, acts, 5.0, grads, NULL);
  lc = ns_content_loss (&acts->outputs[co], &content_target, 1.0, &grads[co]);
  g_assert_true (ns_network_backward (net, acts, grads, want, NULL));
  ns_activations_free (acts);

  evaluate (net, content, style, x, 0, 1, got, &ls_o, &lc_o);
  g_test_message ("%s: style %.9g vs %.9g, content %.9g vs %.9g, gradient error %.2e", name,
                  ls_o, ls, lc_o, lc, ns_test_relative_error_f (got, want, n));
  g_assert_cmpfloat (fabs (ls_o - ls) / ls, <=, 1e-5);
  g_assert_cmpfloat (fabs (lc_o - lc) / lc, <=, 1e-5);
  g_assert_cmpfloat (ns_test_relative_error_f (got, want, n), <=, 1e-4);

  for (int k = 0; k < net->n_outputs; k++)
    g_free (grads[k].data);
  g_free (grads);
  g_free (content_target.data);
  g_free (want);
  g_free (got);
  g_free (wanted);
  ns_style_target_free (target);
  ns_image_free (x);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* The plan's tiles are the largest that fit: one alignment step larger,
 * with the same workers and history, would not. */
static void
assert_largest_tiles (const NsTransferParams *p, const NsFootprint *footprint,
                      const NsMemoryPlan *plan)
{
  NsTransferParams q = *p;
  NsMemoryPlan     larger;

  q.memory_budget = 0;
  q.tile_side = plan->tile_side + footprint->alignment;
  q.tile_workers = plan->workers;
  q.lbfgs_history = plan->history;
  g_assert_true (ns_memory_plan (&q, footprint, 6000, 4000, 24e6, &larger));
  g_assert_cmpuint (larger.bytes, >, p->memory_budget);
}

/* The plan evaluates a tile per thread when the budget leaves such tiles
 * more than halo and the history two steps; otherwise one at a time. */
static void
test_plan_tiles_at_once (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsFootprint      footprint;
  NsTransferParams p;
  NsMemoryPlan     plan;
  guint64          budgets_mb[] = { 4096, 3584, 2600 };
  gboolean         seen_two = FALSE, seen_one = FALSE;

  ns_footprint_of (net, &footprint);
  ns_transfer_params_init (&p);
  ns_set_num_threads (2);
  for (guint k = 0; k < G_N_ELEMENTS (budgets_mb); k++)
    {
      p.memory_budget = budgets_mb[k] << 20;
      p.tile_workers = 0;
      g_assert_true (ns_memory_plan (&p, &footprint, 6000, 4000, 24e6, &plan));
      g_test_message ("%" G_GUINT64_FORMAT " MB: tiles of %d, %d at once, history %d, %"
                      G_GUINT64_FORMAT " MB", budgets_mb[k], plan.tile_side, plan.workers,
                      plan.history, plan.bytes >> 20);
      g_assert_cmpuint (plan.bytes, <=, p.memory_budget);
      g_assert_cmpuint (plan.eval_bytes, <, plan.bytes);
      assert_largest_tiles (&p, &footprint, &plan);
      if (plan.workers == 2)
        {
          g_assert_cmpint (plan.tile_side, >=, 512);
          g_assert_cmpint (plan.history, >=, 2);
        }
      seen_two |= plan.workers == 2;
      seen_one |= plan.workers == 1;
      /* Asked for one at a time: never more, and tiles at least as large. */
      p.tile_workers = 1;
      {
        int two_side = plan.workers == 2 ? plan.tile_side : 0;

        g_assert_true (ns_memory_plan (&p, &footprint, 6000, 4000, 24e6, &plan));
        g_assert_cmpint (plan.workers, ==, 1);
        g_assert_cmpint (plan.tile_side, >=, two_side);
      }
    }
  /* The budgets above span both choices. */
  g_assert_true (seen_two);
  g_assert_true (seen_one);
  /* A whole image in one tile is one evaluation, whatever the threads. */
  p.memory_budget = 0;
  p.tile_workers = 0;
  g_assert_true (ns_memory_plan (&p, &footprint, 600, 400, 24e4, &plan));
  g_assert_cmpint (plan.workers, ==, 1);
  ns_set_num_threads (0);
  ns_network_free (net);
}

/* Each tile's window holds its core and @halo around it, within the
 * image, and has the size of @like's. */
static void
assert_windows (const GArray *tiles, int halo, int w, int h, const NsTile *like)
{
  for (guint i = 0; i < tiles->len; i++)
    {
      const NsTile *t = &g_array_index (tiles, NsTile, i);

      g_assert_cmpint (t->ex0, <=, MAX (t->x0 - halo, 0));
      g_assert_cmpint (t->ey0, <=, MAX (t->y0 - halo, 0));
      g_assert_cmpint (t->ex1, >=, MIN (t->x1 + halo, w));
      g_assert_cmpint (t->ey1, >=, MIN (t->y1 + halo, h));
      g_assert_cmpint (t->ex1 - t->ex0, ==, like->ex1 - like->ex0);
      g_assert_cmpint (t->ey1 - t->ey0, ==, like->ey1 - like->ey0);
    }
}

/* The cores cover every pixel exactly once, at aligned starts, for exact
 * outputs and for exact gradients; both plans have the same windows, the
 * first as few tiles as the second or fewer. */
static void
test_plan_covers (void)
{
  NsNetwork *net = ns_builtin_network_new ();
  gboolean   wanted[NS_BUILTIN_LEVELS] = { TRUE, TRUE, TRUE, TRUE, TRUE };
  int        sizes[][3] = { { 1000, 700, 256 }, { 17, 9, 16 }, { 513, 300, 100 }, { 64, 64, 0 },
                            { 3000, 2000, 512 } };
  gboolean   fewer = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int     w = sizes[k][0], h = sizes[k][1];
      GArray *plans[2];

      /* Pass two's plan first: its first window is the size of all. */
      for (int exact = NS_TILES_GRADIENTS; exact >= NS_TILES_OUTPUTS; exact--)
        {
          GArray *tiles = ns_tiles_plan (net, wanted, w, h, sizes[k][2], exact);
          guint8 *seen = g_new0 (guint8, (gsize) w * h);

          for (guint i = 0; i < tiles->len; i++)
            {
              const NsTile *t = &g_array_index (tiles, NsTile, i);

              g_assert_cmpint (t->x0 % net->alignment, ==, 0);
              g_assert_cmpint (t->ex0 % net->alignment, ==, 0);
              g_assert_cmpint (t->ey0 % net->alignment, ==, 0);
              for (int y = t->y0; y < t->y1; y++)
                for (int x = t->x0; x < t->x1; x++)
                  seen[(gsize) y * w + x]++;
            }
          for (gsize i = 0; i < (gsize) w * h; i++)
            g_assert_cmpint (seen[i], ==, 1);
          plans[exact] = tiles;
          assert_windows (tiles, ns_tiles_halo (net, wanted, exact), w, h,
                          &g_array_index (plans[NS_TILES_GRADIENTS], NsTile, 0));
          g_free (seen);
        }
      g_assert_cmpuint (plans[0]->len, <=, plans[1]->len);
      fewer |= plans[0]->len < plans[1]->len;
      g_array_unref (plans[0]);
      g_array_unref (plans[1]);
    }
  /* Half the halo pays somewhere among these. */
  g_assert_true (fewer);
  ns_network_free (net);
}

/* Mean squared difference between neighbouring columns x - 1 and x. */
static double
column_step_energy (const NsImage *im, int x)
{
  double e = 0.0;

  for (int c = 0; c < 3; c++)
    for (int y = 0; y < im->height; y++)
      {
        const float *row = im->data + ((gsize) c * im->height + y) * im->width;

        e += ((double) row[x] - row[x - 1]) * ((double) row[x] - row[x - 1]);
      }
  return e / (3.0 * im->height);
}

/* A run over tiles gives the run over the whole image, and so no seam:
 * the image-gradient energy across tile borders is that of elsewhere. */
static void
test_no_seam (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsImage         *content = ns_test_pattern_image (512, 192, 0.0);
  NsImage         *style = ns_test_pattern_image (128, 128, 2.0);
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  NsImage         *whole, *tiled;
  GError          *error = NULL;
  double           border = 0.0, elsewhere = 0.0, diff = 0.0;
  int              n_border = 0, n_elsewhere = 0, core = 128;

  ns_transfer_params_init (&p);
  p.iterations = 8;
  p.max_size = 0;
  p.max_scales = 1;
  whole = ns_transfer (net, content, &source, 1, &p, &error);
  g_assert_no_error (error);
  p.tile_side = core;
  tiled = ns_transfer (net, content, &source, 1, &p, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < ns_image_n_values (whole); i++)
    diff = MAX (diff, fabs ((double) whole->data[i] - tiled->data[i]));
  for (int x = 1; x < tiled->width; x++)
    if (x % core == 0)
      border += column_step_energy (tiled, x), n_border++;
    else
      elsewhere += column_step_energy (tiled, x), n_elsewhere++;
  border /= n_border;
  elsewhere /= n_elsewhere;
  g_test_message ("largest difference tiled vs whole %.2e; step energy at borders %.4g, "
                  "elsewhere %.4g", diff, border, elsewhere);
  g_assert_cmpfloat (diff, <, 5e-3);
  g_assert_cmpfloat (fabs (border - elsewhere) / elsewhere, <=, 0.10);
  ns_image_free (whole);
  ns_image_free (tiled);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* A run held to a budget a quarter of what it would take whole stays
 * within it (peak resident memory measured), and the plan says so. */
static void
test_budget_bounds_peak (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsImage         *content = ns_test_pattern_image (1600, 1200, 0.0);
  NsImage         *style = ns_test_pattern_image (256, 256, 2.0);
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  NsMemoryPlan     whole, plan;
  NsFootprint      footprint;
  NsImage         *result;
  GError          *error = NULL;
  guint64          before, peak;

  ns_transfer_params_init (&p);
  p.iterations = 2;
  p.max_size = 0;
  p.max_scales = 1;
  ns_footprint_of (net, &footprint);
  g_assert_true (ns_memory_plan_run (&p, &footprint, 1600, 1200, &whole));
  p.memory_budget = whole.bytes / 4;
  g_assert_true (ns_memory_plan_run (&p, &footprint, 1600, 1200, &plan));
  g_assert_cmpint (plan.tile_side, >, 0);
  g_assert_cmpuint (plan.bytes, <=, p.memory_budget);
  if (!ns_memory_peak_begin (&before))
    {
      g_test_skip ("peak memory cannot be measured here");
      goto out;
    }
  result = ns_transfer (net, content, &source, 1, &p, &error);
  g_assert_no_error (error);
  peak = ns_memory_peak_end ();
  g_test_message ("whole: %" G_GUINT64_FORMAT " MB; budget %" G_GUINT64_FORMAT " MB: tiles of %d, "
                  "%d at once, history %d, plan %" G_GUINT64_FORMAT " MB, measured peak %"
                  G_GUINT64_FORMAT " MB", whole.bytes >> 20, p.memory_budget >> 20,
                  plan.tile_side, plan.workers, plan.history,
                  plan.bytes >> 20, (peak - before) >> 20);
  g_assert_cmpuint (peak - before, <=, p.memory_budget);
  ns_image_free (result);
out:
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* A budget nothing fits is refused before the run starts. */
static void
test_budget_refused (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsImage         *content = ns_test_pattern_image (800, 600, 0.0);
  NsImage         *style = ns_test_pattern_image (64, 64, 2.0);
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  GError          *error = NULL;

  ns_transfer_params_init (&p);
  p.max_size = 0;
  p.memory_budget = 1 << 20;
  g_assert_null (ns_transfer (net, content, &source, 1, &p, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_NO_MEMORY);
  g_clear_error (&error);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

typedef struct
{
  int     calls;
  int     within;       /* calls inside an iteration (tile ticks) */
  double  last_fraction;
  int     last_iteration;
  int     raise_after;  /* raise the flag at this call, 0: never */
  gint   *flag;
} Ticks;

static void
count_ticks (const NsProgress *p, gpointer data)
{
  Ticks *t = data;

  t->calls++;
  if (p->iteration == t->last_iteration && p->fraction > t->last_fraction)
    t->within++;
  g_assert_cmpfloat (p->fraction, >=, t->last_fraction - 1e-12);
  t->last_fraction = p->fraction;
  t->last_iteration = p->iteration;
  if (t->raise_after > 0 && t->calls == t->raise_after)
    g_atomic_int_set (t->flag, 1);
}

/* A tiled evaluation reports progress between its tiles, and Cancel or
 * Stop raised there end the run within that evaluation. */
static void
test_progress_within_evaluation (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsImage         *content = ns_test_pattern_image (700, 500, 0.0);
  NsImage         *style = ns_test_pattern_image (128, 128, 2.0), *result;
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  gint             cancel = 0, stop = 0;
  Ticks            t = { 0, 0, 0.0, -1, 0, NULL };
  GError          *error = NULL;

  ns_transfer_params_init (&p);
  p.iterations = 3;
  p.max_size = 0;
  p.max_scales = 1;
  p.tile_side = 128;
  p.progress = count_ticks;
  p.progress_data = &t;
  result = ns_transfer (net, content, &source, 1, &p, &error);
  g_assert_no_error (error);
  g_test_message ("%d progress calls, %d within iterations", t.calls, t.within);
  g_assert_cmpint (t.within, >, 3 * 10);
  ns_image_free (result);

  /* Cancel at the fifth call: a tile tick of the first evaluation. */
  memset (&t, 0, sizeof t);
  t.last_iteration = -1;
  t.raise_after = 5;
  t.flag = &cancel;
  p.cancel = &cancel;
  g_assert_null (ns_transfer (net, content, &source, 1, &p, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (t.calls, <, 10);

  /* Stop there: a result, the start (nothing was accepted yet). */
  memset (&t, 0, sizeof t);
  t.last_iteration = -1;
  t.raise_after = 5;
  t.flag = &stop;
  p.cancel = NULL;
  p.stop = &stop;
  result = ns_transfer (net, content, &source, 1, &p, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (t.calls, <, 10);
  ns_image_free (result);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* A style enlarged 5 times leaves out the outputs of stride 1, 2 and 4;
 * at or below its own size every output counts; the coarsest always. */
static void
test_style_detail (void)
{
  NsNetwork       *net = ns_builtin_network_new ();
  NsImage         *style = ns_image_new (200, 100, 3, NULL);
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  double           w[NS_BUILTIN_LEVELS];

  ns_transfer_params_init (&p);
  ns_transfer_style_layer_weights (net, &p, 1000, &source, 1, w);
  g_assert_cmpfloat (w[0] + w[1] + w[2], ==, 0.0);
  g_assert_cmpfloat (w[3] + w[4], ==, 2.0);
  ns_transfer_style_layer_weights (net, &p, 200, &source, 1, w);
  for (int i = 0; i < NS_BUILTIN_LEVELS; i++)
    g_assert_cmpfloat (w[i], ==, 1.0);
  ns_transfer_style_layer_weights (net, &p, 100000, &source, 1, w);
  g_assert_cmpfloat (w[NS_BUILTIN_LEVELS - 1], ==, 1.0);
  ns_image_free (style);
  ns_network_free (net);
}

int
main (int argc, char **argv)
{
  static const Case cases[] = {
    { "builtin", 480, 400, 128, 9 },
    { "builtin", 733, 450, 160, 12 },   /* sizes that no stride divides */
    { "vgg19", 600, 480, 128, 12 },
    { "vgg19", 761, 519, 160, 12 },
  };

  g_test_init (&argc, &argv, NULL);
  data_dir = argc > 1 ? argv[1] : "tests/data";
  g_test_add_func ("/tiles/plan-covers", test_plan_covers);
  g_test_add_func ("/tiles/plan-tiles-at-once", test_plan_tiles_at_once);
  g_test_add_data_func ("/tiles/whole-equals-reference-losses/builtin", "builtin",
                        test_whole_equals_reference_losses);
  g_test_add_data_func ("/tiles/whole-equals-reference-losses/vgg19", "vgg19",
                        test_whole_equals_reference_losses);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *name = g_strdup_printf ("/tiles/equal-whole/%s-%dx%d", cases[i].network,
                                    cases[i].width, cases[i].height);

      g_test_add_data_func (name, &cases[i], test_tiled_equals_whole);
      g_free (name);
    }
  g_test_add_func ("/tiles/no-seam", test_no_seam);
  g_test_add_func ("/tiles/budget-bounds-peak", test_budget_bounds_peak);
  g_test_add_func ("/tiles/budget-refused", test_budget_refused);
  g_test_add_func ("/tiles/style-detail", test_style_detail);
  g_test_add_func ("/tiles/progress-within-evaluation", test_progress_within_evaluation);
  return g_test_run ();
}
