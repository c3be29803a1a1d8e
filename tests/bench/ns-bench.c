/* ns-bench: speed and memory of the core's networks, for build-aux/dev bench.
 *
 *   ns-bench vgg19 SIZE ITERATIONS   seconds per optimiser iteration of a
 *                                    full-size VGG19 with random weights:
 *                                    forward to relu5_1, 5 Gram style losses
 *                                    and the relu4_2 content loss, backward;
 *                                    gflops counts a direct convolution's
 *                                    work (Winograd does less of it)
 *   ns-bench builtin SIZE ITERATIONS the same evaluation of the built-in
 *                                    network (5 style levels, content at
 *                                    level 3)
 *   ns-bench sgemm N                 OpenBLAS sgemm N^3 GFLOP/s, all cores
 *   ns-bench estimate NET SIZE ITS   the time and memory estimate of a run
 *                                    (NET builtin or vgg19, SIZE x 3/4 SIZE,
 *                                    ITS per scale) and the run itself
 *   ns-bench highres NET W H ITS MB [THREADS [WORKERS]]
 *                                    a full-size run (max-size 0, the
 *                                    full-size schedule, ITS at 1024 px)
 *                                    on a generated W x H photo-like image
 *                                    within a budget of MB, WORKERS tiles
 *                                    at once (0: as the plan chooses):
 *                                    wall time, the process's peak
 *                                    resident memory, the dialog's time
 *                                    estimate for the run, and the bytes
 *                                    per pixel of an evaluation that the
 *                                    memory plan assumes and that the
 *                                    calibration measured (whole images)
 *
 * Prints "key=value" words on one line; build-aux/dev bench assembles them.
 */
#include <cblas.h>
#include <math.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ns-blas-env.h"
#include "ns-builtin.h"
#include "ns-estimate.h"
#include "ns-memory.h"
#include "ns-memory-plan.h"
#include "ns-losses.h"
#include "ns-test-util.h"
#include "ns-threads.h"
#include "ns-vgg.h"


static NsImage *
random_image (GRand *rand, int size)
{
  NsImage *image = ns_image_new (size, size, 3, NULL);

  for (gsize i = 0; i < ns_image_n_values (image); i++)
    image->data[i] = (float) g_rand_double (rand);
  return image;
}

/* Multiply-adds of the convolutions up to relu5_1 at size x size, forward. */
static double
vgg19_macs (int size)
{
  double macs = 0.0;
  int    s = size;

  for (int i = 0; i <= 12; i++)
    {
      if (i == 2 || i == 4 || i == 8 || i == 12)
        s /= 2;
      macs += (double) s * s * ns_test_vgg19_channels[i] * (i == 0 ? 3 : ns_test_vgg19_channels[i - 1]) * 9;
    }
  return macs;
}

static NsNetwork *
open_bench_network (const char *network)
{
  NsNetwork *net;
  GError    *error = NULL;
  char      *path;

  if (strcmp (network, "vgg19") != 0)
    return ns_builtin_network_new ();
  path = ns_test_write_random_vgg19 ();
  net = ns_vgg19_network_new (path, &error);
  g_unlink (path);
  g_free (path);
  if (net == NULL)
    fprintf (stderr, "ns-bench: %s\n", error->message);
  g_clear_error (&error);
  return net;
}

/* One optimiser evaluation of @network at size x size: forward, the Gram
 * style losses of every style output, the content loss, backward to the
 * image; the mean and best of ITERATIONS after one warm-up. */
static int
bench_evaluation (const char *network, int size, int iterations)
{
  NsNetwork     *net = open_bench_network (network);
  GRand         *rand = g_rand_new_with_seed (1);
  NsImage       *x = random_image (rand, size), *s = random_image (rand, size);
  gboolean      *wanted;
  NsTensor      *grads;
  NsActivations *acts;
  NsStyleTarget *target;
  NsTensor       content = { 0 };
  float         *input_grad = g_new (float, ns_image_n_values (x));
  double         best = G_MAXDOUBLE, total = 0.0;
  struct rusage  usage;

  if (net == NULL)
    return 1;
  wanted = g_new0 (gboolean, net->n_outputs);
  grads = g_new0 (NsTensor, net->n_outputs);
  ns_set_num_threads (0);
  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  wanted[net->content_output] = TRUE;

  acts = ns_network_forward (net, s, wanted, NULL);
  target = ns_style_target_new (net, net->n_style_outputs, net->style_outputs, NULL);
  ns_style_target_add (target, acts, 1.0, NULL);
  ns_style_target_finish (target, 1.0);
  content = acts->outputs[net->content_output];
  content.data = g_memdup2 (content.data, ns_tensor_size (&content) * sizeof (float));
  for (int o = 0; o < net->n_outputs; o++)
    if (wanted[o])
      {
        grads[o] = acts->outputs[o];
        grads[o].data = g_new (float, ns_tensor_size (&grads[o]));
      }
  ns_activations_free (acts);

  /* One warm-up, then the measured iterations. */
  for (int it = -1; it < iterations; it++)
    {
      gint64 start = g_get_monotonic_time ();
      double seconds;

      acts = ns_network_forward (net, x, wanted, NULL);
      for (int o = 0; o < net->n_outputs; o++)
        if (grads[o].data != NULL)
          memset (grads[o].data, 0, ns_tensor_size (&grads[o]) * sizeof (float));
      ns_style_loss (target, acts, 5.0, grads, NULL);
      ns_content_loss (&acts->outputs[net->content_output], &content, 1.0,
                       &grads[net->content_output]);
      ns_network_backward (net, acts, grads, input_grad, NULL);
      ns_activations_free (acts);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (it >= 0)
        {
          total += seconds;
          best = MIN (best, seconds);
        }
    }
  getrusage (RUSAGE_SELF, &usage);
  printf ("ours_s=%.3f ours_best_s=%.3f ours_rss_mb=%.0f threads=%d",
          total / iterations, best, usage.ru_maxrss / 1024.0, ns_get_num_threads ());
  if (strcmp (network, "vgg19") == 0)
    printf (" gflops=%.1f", 2.0 * 2.0 * vgg19_macs (size) / (total / iterations) / 1e9);
  printf ("\n");
  for (int o = 0; o < net->n_outputs; o++)
    g_free (grads[o].data);
  g_free (grads);
  g_free (wanted);
  g_free (content.data);
  g_free (input_grad);
  ns_style_target_free (target);
  ns_image_free (x);
  ns_image_free (s);
  g_rand_free (rand);
  ns_network_free (net);
  return 0;
}

static int
bench_sgemm (int n)
{
  float  *a = g_new (float, (gsize) n * n), *b = g_new (float, (gsize) n * n);
  float  *c = g_new0 (float, (gsize) n * n);
  double  best = G_MAXDOUBLE;

  for (gsize i = 0; i < (gsize) n * n; i++)
    a[i] = b[i] = (float) (i % 7) * 0.1f;
  openblas_set_num_threads ((int) g_get_num_processors ());
  for (int rep = 0; rep < 4; rep++)
    {
      gint64 start = g_get_monotonic_time ();

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                   a, n, b, n, 0.0f, c, n);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
    }
  printf ("sgemm_gflops=%.1f coretype=%s\n", 2.0 * n * n * (double) n / best / 1e9,
          openblas_get_corename ());
  g_free (a);
  g_free (b);
  g_free (c);
  return 0;
}

static void
count_evaluations (const NsProgress *progress, gpointer data)
{
  int *counts = data;      /* iterations, evaluations: the scales' totals */

  if (progress->iteration == progress->iterations)
    {
      counts[0] += progress->iterations;
      counts[1] += progress->evaluations;
    }
}

/* A photo-like W x H image: smooth sky and ground, shapes with hard
 * edges, and fine texture, without a file. */
static NsImage *
photo_like_image (int w, int h)
{
  NsImage *im = ns_image_new (w, h, 3, NULL);
  GRand   *rand = g_rand_new_with_seed (24);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double u = (double) x / w, v = (double) y / h;
        double sky = v < 0.55 + 0.05 * sin (9 * u);
        double disc = hypot (u - 0.3, v - 0.35) < 0.08;
        double hut = fabs (u - 0.7) < 0.1 && v > 0.45 && v < 0.7;
        double texture = 0.04 * sin (x * 0.9) * sin (y * 1.3) + 0.03 * (g_rand_double (rand) - 0.5);

        for (int c = 0; c < 3; c++)
          {
            double base = sky ? 0.45 + 0.35 * v + 0.1 * c : 0.25 + 0.2 * (1 - v) + 0.08 * (2 - c);

            if (disc)
              base = 0.9 - 0.2 * c;
            if (hut)
              base = 0.5 + 0.15 * c * (x % 40 < 20);
            im->data[((gsize) c * h + y) * w + x] = (float) CLAMP (base + texture, 0.0, 1.0);
          }
      }
  g_rand_free (rand);
  return im;
}

static void
count_iterations (const NsProgress *progress, gpointer data)
{
  int *counts = data;     /* iterations done; the last scale and iteration */

  /* Tiled evaluations report progress within an iteration too. */
  if (progress->iteration > 0 &&
      (progress->scale != counts[1] || progress->iteration != counts[2]))
    counts[0]++;
  counts[1] = progress->scale;
  counts[2] = progress->iteration;
}

static int
bench_highres (const char *network, int w, int h, int iterations, int budget_mb,
               int threads, int workers)
{
  NsNetwork       *net = open_bench_network (network);
  NsImage         *content = photo_like_image (w, h);
  NsImage         *style = photo_like_image (1024, 768), *result;
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams params;
  GError          *error = NULL;
  struct rusage    usage;
  NsFootprint      footprint;
  NsMemoryPlan     plan;
  NsCalibration    cal;
  NsEstimate       estimate;
  gint64           start;
  int              counts[3] = { 0, -1, -1 };

  if (net == NULL)
    return 1;
  /* The style: strokes, not the same photo. */
  for (gsize i = 0; i < ns_image_n_values (style); i++)
    style->data[i] = (float) fabs (sin (i * 0.013 + (i / 1024) * 0.07));
  ns_set_num_threads (threads);
  ns_transfer_params_init (&params);
  params.max_size = 0;
  params.iterations = iterations;
  params.detail_side = 1024;
  params.memory_budget = (guint64) budget_mb << 20;
  params.tile_workers = workers;
  if (!ns_calibrate (net, &params, &cal, &error))
    {
      fprintf (stderr, "ns-bench: %s\n", error->message);
      return 1;
    }
  ns_estimate (&cal, &params, w, h, &estimate);
  params.progress = count_iterations;
  params.progress_data = counts;
  start = g_get_monotonic_time ();
  result = ns_transfer (net, content, &source, 1, &params, &error);
  if (result == NULL)
    {
      fprintf (stderr, "ns-bench: %s\n", error->message);
      return 1;
    }
  getrusage (RUSAGE_SELF, &usage);
  ns_footprint_of (net, &footprint);
  ns_memory_plan_run (&params, &footprint, w, h, &plan);
  printf ("network=%s size=%dx%d wall_s=%.1f peak_rss_mb=%ld iterations=%d budget_mb=%d "
          "threads=%d tile=%d tiles_at_once=%d estimate_s=%.0f plan_bytes_per_pixel=%.0f "
          "measured_bytes_per_pixel=%.0f\n",
          network, w, h, (g_get_monotonic_time () - start) / 1e6, usage.ru_maxrss / 1024,
          counts[0], budget_mb, ns_get_num_threads (), plan.tile_side, plan.workers,
          estimate.seconds, footprint.eval_bytes_per_pixel, cal.bytes_per_pixel);
  ns_image_free (result);
  ns_image_free (content);
  ns_image_free (style);
  ns_network_free (net);
  return 0;
}

/* Estimate first, then the run it predicts, in one process. */
static int
bench_estimate (const char *network, int size, int iterations)
{
  NsNetwork       *net = open_bench_network (network);
  GRand           *rand = g_rand_new_with_seed (2);
  NsImage         *content = random_image (rand, size), *style = random_image (rand, size / 2);
  NsImage         *result;
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams params;
  NsCalibration    cal;
  NsEstimate       estimate;
  GError          *error = NULL;
  guint64          before = 0, peak;
  gint64           start;
  double           calibrate_s, run_s;
  int              counts[2] = { 0, 0 };

  if (net == NULL)
    return 1;
  ns_set_num_threads (0);
  ns_transfer_params_init (&params);
  params.max_size = size;
  params.iterations = iterations;
  start = g_get_monotonic_time ();
  if (!ns_calibrate (net, &params, &cal, &error))
    {
      fprintf (stderr, "ns-bench: %s\n", error->message);
      return 1;
    }
  calibrate_s = (g_get_monotonic_time () - start) / 1e6;
  ns_estimate (&cal, &params, size, size, &estimate);
  params.progress = count_evaluations;
  params.progress_data = counts;
  ns_memory_peak_begin (&before);
  start = g_get_monotonic_time ();
  result = ns_transfer (net, content, &source, 1, &params, &error);
  run_s = (g_get_monotonic_time () - start) / 1e6;
  peak = ns_memory_peak_end ();
  if (result == NULL)
    {
      fprintf (stderr, "ns-bench: %s\n", error->message);
      return 1;
    }
  printf ("network=%s size=%d iterations=%d calibrate_s=%.2f estimate_s=%.1f run_s=%.1f "
          "estimate_mb=%.0f run_mb=%.0f evaluations_per_iteration=%.2f\n", network, size,
          iterations, calibrate_s, estimate.seconds, run_s, estimate.bytes / 1048576.0,
          (peak - before) / 1048576.0, (double) counts[1] / MAX (counts[0], 1));
  ns_image_free (result);
  ns_image_free (content);
  ns_image_free (style);
  g_rand_free (rand);
  ns_network_free (net);
  return 0;
}

int
main (int argc, char **argv)
{
  ns_blas_prefer_avx512 (argv);
  if (argc == 4 && (strcmp (argv[1], "vgg19") == 0 || strcmp (argv[1], "builtin") == 0))
    return bench_evaluation (argv[1], atoi (argv[2]), atoi (argv[3]));
  if (argc == 5 && strcmp (argv[1], "estimate") == 0)
    return bench_estimate (argv[2], atoi (argv[3]), atoi (argv[4]));
  if (argc == 3 && strcmp (argv[1], "sgemm") == 0)
    return bench_sgemm (atoi (argv[2]));
  if (argc >= 7 && argc <= 9 && strcmp (argv[1], "highres") == 0)
    return bench_highres (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]), atoi (argv[6]),
                          argc >= 8 ? atoi (argv[7]) : 0, argc == 9 ? atoi (argv[8]) : 0);
  fprintf (stderr, "usage: ns-bench vgg19|builtin SIZE ITERATIONS | ns-bench sgemm N | "
                   "ns-bench estimate builtin|vgg19 SIZE ITERATIONS | "
                   "ns-bench highres builtin|vgg19 W H ITERATIONS BUDGET_MB [THREADS [WORKERS]]\n");
  return 2;
}
