/* test-faults.c: a transfer in which any one of the core's allocations
 * fails (ns_try_alloc_fail_after) ends with NS_ERROR_NO_MEMORY, or, where a
 * site can do without its buffer, with the very result of a run without
 * the failure; nothing is leaked (the sanitized run's LeakSanitizer checks
 * that at exit).  Runs on one thread so that the n-th allocation is the
 * same one in every run.  Every site is reached within the first
 * EVERY_ONE allocations (the first evaluation and the optimiser's set-up);
 * later ones repeat them, and SAMPLES of those are tried. */
#include <string.h>

#include "ns-error.h"
#include "ns-test-util.h"
#include "ns-threads.h"
#include "ns-transfer.h"

typedef struct
{
  const char *name;
  int         tile_side;      /* 0: whole images */
  NsOptimiser optimiser;
  int         max_scales;
  const char *weights;        /* VGG19 weights in tests/data, NULL: built-in */
} Case;

static const Case cases[] = {
  { "builtin-whole-lbfgs", 0, NS_OPTIMISER_LBFGS, 2, NULL },
  { "builtin-tiles-lbfgs", 24, NS_OPTIMISER_LBFGS, 1, NULL },
  { "builtin-whole-adam", 0, NS_OPTIMISER_ADAM, 1, NULL },
  { "vgg19-whole-lbfgs", 0, NS_OPTIMISER_LBFGS, 1, "vgg19-small.safetensors" },
};

#define EVERY_ONE 256
#define SAMPLES   48

static const char *data_dir;

/* The k-th allocation to fail, for k = 0, 1, ... up to *n_tries. */
static int
allocation_to_fail (int k, int calls, int *n_tries)
{
  int later = calls - EVERY_ONE;

  *n_tries = later <= SAMPLES ? calls : EVERY_ONE + SAMPLES;
  if (k < EVERY_ONE || later <= SAMPLES)
    return k;
  return EVERY_ONE + (int) ((gint64) (k - EVERY_ONE) * later / SAMPLES);
}

static void
test_each_allocation_fails (gconstpointer data)
{
  const Case      *c = data;
  NsNetwork       *net = ns_test_network_open (data_dir, c->weights);
  NsImage         *content = ns_test_pattern_image (40, 32, 0.0);
  NsImage         *style = ns_test_pattern_image (36, 36, 2.0);
  NsStyleSource    source = { style, 1.0, NULL, NULL };
  NsTransferParams p;
  NsImage         *clean, *result;
  int              calls, n_tries = 1, refused = 0, tolerated = 0;

  ns_set_num_threads (1);
  ns_transfer_params_init (&p);
  p.iterations = 3;
  p.max_size = 0;
  p.max_scales = c->max_scales;
  p.min_scale_size = 20;
  p.tile_side = c->tile_side;
  p.optimiser = c->optimiser;

  ns_try_alloc_fail_after (-1);
  clean = ns_transfer (net, content, &source, 1, &p, NULL);
  calls = ns_try_alloc_calls ();
  g_assert_nonnull (clean);
  g_assert_cmpint (calls, >, 10);
  for (int k = 0; k < n_tries; k++)
    {
      GError *error = NULL;
      int     failing = allocation_to_fail (k, calls, &n_tries);

      ns_try_alloc_fail_after (failing);
      result = ns_transfer (net, content, &source, 1, &p, &error);
      if (result == NULL)
        {
          g_assert_error (error, NS_ERROR, NS_ERROR_NO_MEMORY);
          g_clear_error (&error);
          refused++;
        }
      else
        {
          g_assert_no_error (error);
          if (memcmp (result->data, clean->data, ns_image_n_values (clean) * sizeof (float)) != 0)
            g_error ("%s: allocation %d of %d failed, and the run went on to another result",
                     c->name, failing, calls);
          ns_image_free (result);
          tolerated++;
        }
    }
  ns_try_alloc_fail_after (-1);
  g_test_message ("%s: %d allocations; a failure of %d of the %d tried refused the run, "
                  "%d were done without", c->name, calls, refused, n_tries, tolerated);
  g_assert_cmpint (refused, >, 0);
  ns_image_free (clean);
  ns_image_free (content);
  ns_image_free (style);
  ns_network_free (net);
  ns_set_num_threads (0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data_dir = argc > 1 ? argv[1] : "tests/data";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *path = g_strconcat ("/faults/each-allocation-fails/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], test_each_allocation_fails);
      g_free (path);
    }
  return g_test_run ();
}
