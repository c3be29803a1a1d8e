/* test-estimate.c: the time and memory estimate against the run it
 * predicts, on this machine: within a factor of 2 of both.
 *
 * Each case calibrates, estimates, then does the real ns_transfer with the
 * same settings, measuring its seconds and its peak resident memory above
 * what the process held before.  Both sides are measured in the same
 * process, moments apart, so that the machine's speed is the same for both.
 */
#include <math.h>
#include <stdio.h>

#include "ns-builtin.h"
#include "ns-estimate.h"
#include "ns-memory.h"
#include "ns-test-util.h"
#include "ns-vgg.h"

static const char *data_dir;

/* A budget that makes a 1600 x 1200 full-size run go in tiles. */
#define BUILTIN_TILED_MB 600

typedef struct
{
  const char *network;         /* "builtin" or a safetensors file in data/ */
  int         width, height;
  int         max_size;
  int         iterations;
  double      style_scale;
  int         budget_mb;       /* 0: none; else small enough for tiles */
} Case;

static NsNetwork *
open_network (const char *name)
{
  GError    *error = NULL;
  char      *path;
  NsNetwork *net;

  if (g_strcmp0 (name, "builtin") == 0)
    return ns_builtin_network_new ();
  path = g_build_filename (data_dir, name, NULL);
  net = ns_vgg19_network_new (path, &error);
  g_assert_no_error (error);
  g_free (path);
  return net;
}

static void
check_factor (const char *what, double estimated, double measured)
{
  double ratio = estimated / measured;

  g_test_message ("%s: estimated %.3g, measured %.3g, ratio %.2f", what,
                  estimated, measured, ratio);
  g_assert_cmpfloat (ratio, >=, 0.5);
  g_assert_cmpfloat (ratio, <=, 2.0);
}

static void
test_case (gconstpointer data)
{
  const Case       *c = data;
  NsNetwork        *net = open_network (c->network);
  NsImage          *content = ns_test_pattern_image (c->width, c->height, 0.3);
  NsImage          *style = ns_test_pattern_image (c->width / 2, c->height / 2, 1.9);
  NsStyleSource     source = { style, 1.0, NULL, NULL };
  NsTransferParams  params;
  NsCalibration     cal;
  NsEstimate        estimate;
  NsImage          *result;
  GError           *error = NULL;
  guint64           before = 0, peak;
  gboolean          peaks;
  gint64            start;

  ns_transfer_params_init (&params);
  params.max_size = c->max_size;
  params.iterations = c->iterations;
  params.style_scale = c->style_scale;
  params.memory_budget = (guint64) c->budget_mb << 20;
  g_assert_true (ns_calibrate (net, &params, &cal, &error));
  g_assert_no_error (error);
  ns_estimate (&cal, &params, c->width, c->height, &estimate);
  if (c->budget_mb > 0)
    {
      NsMemoryPlan plan;

      /* The case is what it says: the last scale really goes in tiles. */
      g_assert_true (ns_memory_plan_run (&params, &cal.footprint, c->width, c->height, &plan));
      g_test_message ("tiles of %d px, %d at once", plan.tile_side, plan.workers);
      g_assert_cmpint (plan.tile_side, >, 0);
      g_assert_cmpint (plan.tile_side, <, MAX (c->width, c->height));
    }
  g_test_message ("calibration: %.3g + %.3g/px s, %.3g + %.3g/px bytes, forward %.3g/px",
                  cal.evaluation_fixed, cal.evaluation_per_pixel, cal.bytes_fixed,
                  cal.bytes_per_pixel, cal.forward_bytes_per_pixel);

  peaks = ns_memory_peak_begin (&before);
  start = g_get_monotonic_time ();
  result = ns_transfer (net, content, &source, 1, &params, &error);
  g_assert_no_error (error);
  check_factor ("seconds", estimate.seconds, (g_get_monotonic_time () - start) / 1e6);
  if (peaks)
    {
      peak = ns_memory_peak_end ();
      g_assert_true (cal.memory_measured);
      check_factor ("bytes", (double) estimate.bytes, (double) (peak - before));
    }
  else
    g_test_message ("this system does not report peak memory: bytes not checked");
  ns_image_free (result);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* More iterations, more scales and more pixels each cost more; a style
 * larger than the content costs more memory. */
static void
test_monotonic (void)
{
  NsCalibration    cal = { 0.01, 1e-6, 2.0, 1e6, 100.0, 200.0, TRUE,
                           { .halo = 160, .alignment = 16, .content_bytes_per_pixel = 4.0,
                             .eval_bytes_per_pixel = 700.0, .n_groups = 1,
                             .groups = { { 160, 80, 1.0 } } } };
  NsTransferParams p;
  NsEstimate       a, b;

  ns_transfer_params_init (&p);
  ns_estimate (&cal, &p, 512, 384, &a);
  p.iterations *= 2;
  ns_estimate (&cal, &p, 512, 384, &b);
  g_assert_cmpfloat (b.seconds, >, 1.9 * a.seconds);
  g_assert_cmpuint (b.bytes, ==, a.bytes);
  p.max_size = 1024;
  ns_estimate (&cal, &p, 2048, 1536, &a);
  g_assert_cmpfloat (a.seconds, >, 3.0 * b.seconds);
  g_assert_cmpuint (a.bytes, >, 3 * b.bytes);
  p.style_scale = 2.0;
  ns_estimate (&cal, &p, 2048, 1536, &b);
  g_assert_cmpuint (b.bytes, >, a.bytes);
  cal.memory_measured = FALSE;
  ns_estimate (&cal, &p, 2048, 1536, &b);
  g_assert_cmpuint (b.bytes, ==, 0);
}

static void
test_available (void)
{
  guint64 available = ns_memory_available ();

  if (!g_file_test ("/proc/meminfo", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /proc/meminfo");
      return;
    }
  /* Some memory is free, and not more than the machine has. */
  g_assert_cmpuint (available, >, 16 << 20);
  g_assert_cmpuint (available, <=, (guint64) 1 << 50);
}

int
main (int argc, char **argv)
{
  static const Case cases[] = {
    /* network, size, max_size, iterations, style_scale, budget_mb */
    { "builtin", 320, 240, 320, 30, 1.0, 0 },       /* 2 scales */
    { "builtin", 900, 600, 256, 20, 1.0, 0 },       /* finished at full size */
    { "builtin", 256, 256, 256, 20, 2.0, 0 },       /* a style larger than the content */
    { "vgg19-small.safetensors", 256, 192, 256, 20, 1.0, 0 },
    /* Full size in tiles: each output over tiles of its own halo. */
    { "builtin", 1600, 1200, 0, 10, 1.0, BUILTIN_TILED_MB },
  };

  g_test_init (&argc, &argv, NULL);
  data_dir = argc > 1 ? argv[1] : ".";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *name = g_strdup_printf ("/estimate/within-factor-2/%s-%dx%d-max%d-scale%.0f%s",
                                    g_str_has_prefix (cases[i].network, "vgg19") ? "vgg19" : "builtin",
                                    cases[i].width, cases[i].height, cases[i].max_size,
                                    cases[i].style_scale, cases[i].budget_mb ? "-tiled" : "");

      g_test_add_data_func (name, &cases[i], test_case);
      g_free (name);
    }
  g_test_add_func ("/estimate/monotonic", test_monotonic);
  g_test_add_func ("/estimate/available", test_available);
  return g_test_run ();
}
