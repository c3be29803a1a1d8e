/* test-transfer.c: the optimisation driver: it lowers the loss (L-BFGS and
 * Adam), stops within an iteration when cancelled, keeps what it has when
 * stopped, is deterministic for a seed and refuses bad input. */
#include <math.h>
#include <string.h>

#include "ns-builtin.h"
#include "ns-error.h"
#include "ns-test-util.h"
#include "ns-transfer.h"

typedef struct
{
  int     calls;
  double  first_style;      /* at the first evaluated iteration */
  double  last_style;
  double  first_loss;
  double  last_loss;
  int     raise_at;         /* iteration at which to raise the flag, 0: never */
  gint   *flag;
  int     calls_after_raise;
  gboolean raised;
  int     n_scales;         /* as the last report said */
  int     last_scale;       /* the highest scale reported */
} Record;

static void
record_progress (const NsProgress *p, gpointer data)
{
  Record *r = data;

  r->calls++;
  r->n_scales = p->n_scales;
  r->last_scale = MAX (r->last_scale, p->scale);
  if (r->raised)
    r->calls_after_raise++;
  if (p->iteration == 1 && p->scale == 0)
    {
      r->first_style = p->style_loss;
      r->first_loss = p->loss;
    }
  if (p->iteration > 0)
    {
      r->last_style = p->style_loss;
      r->last_loss = p->loss;
    }
  g_assert_cmpfloat (p->fraction, >=, 0.0);
  g_assert_cmpfloat (p->fraction, <=, 1.0 + 1e-9);
  if (r->raise_at > 0 && p->iteration == r->raise_at && !r->raised)
    {
      g_atomic_int_set (r->flag, 1);
      r->raised = TRUE;
    }
}

typedef struct
{
  NsNetwork        *net;
  NsImage          *content;
  NsImage          *style;
  NsStyleSource     source;
  NsTransferParams  params;
  Record            record;
  gint              cancel;
  gint              stop;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  (void) data;
  memset (f, 0, sizeof *f);
  f->net = ns_builtin_network_new ();
  f->content = ns_test_pattern_image (40, 32, 0.0);
  f->style = ns_test_pattern_image (36, 36, 2.0);
  /* A style unlike the content: stripes in strong colours. */
  for (int y = 0; y < 36; y++)
    for (int x = 0; x < 36; x++)
      for (int c = 0; c < 3; c++)
        f->style->data[(c * 36 + y) * 36 + x] =
          ((x + 2 * y + 3 * c) / 3) % 2 ? 0.9f : 0.1f;
  f->source = (NsStyleSource) { f->style, 1.0, NULL, NULL };
  ns_transfer_params_init (&f->params);
  f->params.iterations = 15;
  f->params.max_size = 0;
  f->params.max_scales = 1;
  f->params.progress = record_progress;
  f->params.progress_data = &f->record;
  f->params.cancel = &f->cancel;
  f->params.stop = &f->stop;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  (void) data;
  ns_image_free (f->content);
  ns_image_free (f->style);
  ns_network_free (f->net);
}

static NsImage *
run (Fixture *f, GError **error)
{
  return ns_transfer (f->net, f->content, &f->source, 1, &f->params, error);
}

static void
test_lbfgs_lowers_loss (Fixture *f, gconstpointer data)
{
  NsImage *result;

  (void) data;
  result = run (f, NULL);
  g_assert_nonnull (result);
  g_assert_cmpint (result->width, ==, 40);
  g_assert_cmpint (result->height, ==, 32);
  g_assert_cmpfloat (f->record.last_loss, <, 0.5 * f->record.first_loss);
  g_assert_cmpfloat (f->record.last_style, <, 0.5 * f->record.first_style);
  for (gsize i = 0; i < ns_image_n_values (result); i++)
    g_assert_true (result->data[i] >= 0.0f && result->data[i] <= 1.0f);
  ns_image_free (result);
}

static void
test_adam_lowers_loss (Fixture *f, gconstpointer data)
{
  NsImage *result;

  (void) data;
  f->params.optimiser = NS_OPTIMISER_ADAM;
  f->params.iterations = 40;
  result = run (f, NULL);
  g_assert_nonnull (result);
  g_assert_cmpfloat (f->record.last_style, <, 0.7 * f->record.first_style);
  ns_image_free (result);
}

static void
test_coarse_to_fine (Fixture *f, gconstpointer data)
{
  NsImage *result;
  int      sides[8];

  (void) data;
  /* 1000 x 500 at 512 with scales down to 128: 128, 256, 512. */
  f->params.max_size = 512;
  f->params.max_scales = 4;
  f->params.min_scale_size = 128;
  g_assert_cmpint (ns_transfer_plan_scales (&f->params, 1000, 500, sides, 8), ==, 3);
  g_assert_cmpint (sides[0], ==, 128);
  g_assert_cmpint (sides[2], ==, 512);
  f->params.max_size = 0;
  g_assert_cmpint (ns_transfer_plan_scales (&f->params, 100, 60, sides, 8), ==, 1);

  /* A run over 2 scales (16 and 32 px) with a processing size below the
   * content's: both scales run and the result has the content's size. */
  f->params.min_scale_size = 16;
  f->params.max_size = 32;
  f->params.max_scales = 2;
  result = run (f, NULL);
  g_assert_nonnull (result);
  g_assert_cmpint (result->width, ==, 40);
  g_assert_cmpint (result->height, ==, 32);
  g_assert_cmpint (f->record.n_scales, ==, 2);
  g_assert_cmpint (f->record.last_scale, ==, 1);
  ns_image_free (result);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  GError *error = NULL;

  (void) data;
  f->params.iterations = 50;
  f->record.raise_at = 3;
  f->record.flag = &f->cancel;
  g_assert_null (run (f, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
  /* Seen at the end of the iteration that raised it: nothing after. */
  g_assert_cmpint (f->record.calls_after_raise, ==, 0);
  g_error_free (error);
}

static void
test_stop_keeps_result (Fixture *f, gconstpointer data)
{
  NsImage *result;
  double   diff = 0.0;

  (void) data;
  f->params.iterations = 50;
  f->params.max_scales = 2;
  f->params.min_scale_size = 16;
  f->record.raise_at = 4;
  f->record.flag = &f->stop;
  result = run (f, NULL);
  g_assert_nonnull (result);
  g_assert_cmpint (f->record.calls_after_raise, ==, 0);   /* scale 2 skipped */
  g_assert_cmpint (result->width, ==, 40);
  for (gsize i = 0; i < ns_image_n_values (result); i++)
    diff += fabs (result->data[i] - f->content->data[i]);
  g_assert_cmpfloat (diff, >, 0.0);
  ns_image_free (result);
}

static void
test_deterministic (Fixture *f, gconstpointer data)
{
  NsImage *a, *b, *c;

  (void) data;
  f->params.init_noise = 1.0;
  f->params.seed = 7;
  a = run (f, NULL);
  b = run (f, NULL);
  f->params.seed = 8;
  c = run (f, NULL);
  g_assert_cmpmem (a->data, ns_image_n_values (a) * sizeof (float),
                   b->data, ns_image_n_values (b) * sizeof (float));
  g_assert_true (memcmp (a->data, c->data, ns_image_n_values (a) * sizeof (float)) != 0);
  ns_image_free (a);
  ns_image_free (b);
  ns_image_free (c);
}

/* Styles of extreme shapes are enlarged until the network takes them:
 * a 2000 x 3 strip (long side fitted to the content's, it would be one
 * row) and a single pixel. */
static void
test_thin_and_tiny_styles (Fixture *f, gconstpointer data)
{
  static const int sizes[][2] = { { 2000, 3 }, { 3, 2000 }, { 1, 1 } };

  (void) data;
  f->params.iterations = 2;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      NsImage *style = ns_test_pattern_image (sizes[i][0], sizes[i][1], 1.0);
      NsImage *result;
      GError  *error = NULL;

      f->source.image = style;
      result = run (f, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->width, ==, 40);
      ns_image_free (result);
      ns_image_free (style);
    }
  f->source.image = f->style;
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  NsImage *tiny = ns_test_pattern_image (5, 40, 0.0);
  GError  *error = NULL;

  (void) data;
  g_assert_null (ns_transfer (f->net, f->content, &f->source, 0, &f->params, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  f->source.weight = -1.0;
  g_assert_null (run (f, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  f->source.weight = 1.0;

  f->params.style_weight = NAN;
  g_assert_null (run (f, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  f->params.style_weight = 5.0;

  f->params.init_noise = 1.5;
  g_assert_null (run (f, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  f->params.init_noise = 0.0;

  g_assert_null (ns_transfer (f->net, tiny, &f->source, 1, &f->params, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IMAGE_TOO_SMALL);
  g_clear_error (&error);
  ns_image_free (tiny);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/transfer/lbfgs-lowers-loss", test_lbfgs_lowers_loss);
  ADD ("/transfer/adam-lowers-loss", test_adam_lowers_loss);
  ADD ("/transfer/coarse-to-fine", test_coarse_to_fine);
  ADD ("/transfer/cancel", test_cancel);
  ADD ("/transfer/stop-keeps-result", test_stop_keeps_result);
  ADD ("/transfer/deterministic", test_deterministic);
  ADD ("/transfer/thin-and-tiny-styles", test_thin_and_tiny_styles);
  ADD ("/transfer/bad-input", test_bad_input);
  return g_test_run ();
}
