/* test-image.c: float images: resampling and colour preservation. */
#include <math.h>

#include "ns-preserve-colors.h"
#include "ns-error.h"
#include "ns-image.h"
#include "ns-test-util.h"

static void
test_resize_constant (void)
{
  NsImage *x = ns_image_new (31, 17, 3, NULL);
  NsImage *down, *up;

  for (gsize i = 0; i < ns_image_n_values (x); i++)
    x->data[i] = 0.375f;
  down = ns_image_resize (x, 8, 5, NULL);
  up = ns_image_resize (x, 70, 40, NULL);
  for (gsize i = 0; i < ns_image_n_values (down); i++)
    g_assert_cmpfloat (fabs (down->data[i] - 0.375f), <, 1e-6);
  for (gsize i = 0; i < ns_image_n_values (up); i++)
    g_assert_cmpfloat (fabs (up->data[i] - 0.375f), <, 1e-6);
  ns_image_free (x);
  ns_image_free (down);
  ns_image_free (up);
}

static void
test_resize_averages (void)
{
  /* Alternating columns 0, 1 halved: every output is their mean, not an
   * aliased 0 or 1. */
  NsImage *x = ns_image_new (16, 4, 1, NULL);
  NsImage *down;

  for (int y = 0; y < 4; y++)
    for (int i = 0; i < 16; i++)
      x->data[y * 16 + i] = i % 2;
  down = ns_image_resize (x, 8, 4, NULL);
  for (gsize i = 0; i < ns_image_n_values (down); i++)
    g_assert_cmpfloat (fabs (down->data[i] - 0.5f), <, 0.13f);
  ns_image_free (x);
  ns_image_free (down);
}

static void
test_fit_long_side (void)
{
  int w, h;

  ns_fit_long_side (1024, 768, 512, &w, &h);
  g_assert_cmpint (w, ==, 512);
  g_assert_cmpint (h, ==, 384);
  ns_fit_long_side (100, 4000, 512, &w, &h);
  g_assert_cmpint (w, ==, 13);
  g_assert_cmpint (h, ==, 512);
}

static void
test_interleaved_round_trip (void)
{
  float    rgba[2 * 3 * 4];
  NsImage *x;

  for (int i = 0; i < 24; i++)
    rgba[i] = i / 24.0f;
  x = ns_image_new_from_interleaved (rgba, 3, 2, 4, NULL);
  g_assert_cmpfloat (x->data[0], ==, rgba[0]);
  g_assert_cmpfloat (x->data[6 + 1], ==, rgba[4 + 1]);     /* G of pixel 1 */
  for (gsize i = 0; i < ns_image_n_values (x); i++)
    x->data[i] = 1.0f - x->data[i];
  ns_image_to_interleaved (x, rgba, 4);
  g_assert_cmpfloat (rgba[3], ==, 3 / 24.0f);               /* alpha kept */
  g_assert_cmpfloat (rgba[0], ==, 1.0f);
  ns_image_free (x);
}

static float
luma_at (const NsImage *x, gsize i)
{
  gsize n = (gsize) x->width * x->height;

  return 0.299f * x->data[i] + 0.587f * x->data[n + i] + 0.114f * x->data[2 * n + i];
}

static void
test_preserve_colors (void)
{
  NsImage *content = ns_test_pattern_image (9, 7, 0.0);
  NsImage *result = ns_test_pattern_image (9, 7, 1.3);
  NsImage *kept = ns_image_copy (result, NULL);
  NsImage *half = ns_image_copy (result, NULL);
  gsize    n = 9 * 7;

  ns_preserve_colors (kept, content, 1.0);
  ns_preserve_colors (half, content, 0.0);
  for (gsize i = 0; i < n; i++)
    {
      /* Where nothing clamps, luminance is the result's and chroma the
       * content's. */
      float yr = luma_at (result, i), yc = luma_at (content, i);
      gboolean clamped = FALSE;

      for (int c = 0; c < 3; c++)
        {
          float want = yr + content->data[c * n + i] - yc;

          clamped |= want < 0.0f || want > 1.0f;
          if (!clamped)
            g_assert_cmpfloat (fabs (kept->data[c * n + i] - want), <, 1e-5);
          g_assert_cmpfloat (half->data[c * n + i], ==, result->data[c * n + i]);
        }
      if (!clamped)
        g_assert_cmpfloat (fabs (luma_at (kept, i) - yr), <, 1e-5);
    }
  ns_image_free (content);
  ns_image_free (result);
  ns_image_free (kept);
  ns_image_free (half);
}

static void
test_bad_sizes (void)
{
  GError *error = NULL;

  g_assert_null (ns_image_new (0, 10, 3, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ns_image_new (NS_IMAGE_MAX_SIDE + 1, 10, 3, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* The largest legal image is refused cleanly when memory is short,
   * never with an abort (this needs 48 GiB, more than these machines). */
  {
    NsImage *huge = ns_image_new (NS_IMAGE_MAX_SIDE, NS_IMAGE_MAX_SIDE, 3, &error);

    if (huge == NULL)
      {
        g_assert_error (error, NS_ERROR, NS_ERROR_NO_MEMORY);
        g_clear_error (&error);
      }
    ns_image_free (huge);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image/resize-constant", test_resize_constant);
  g_test_add_func ("/image/resize-averages", test_resize_averages);
  g_test_add_func ("/image/fit-long-side", test_fit_long_side);
  g_test_add_func ("/image/interleaved-round-trip", test_interleaved_round_trip);
  g_test_add_func ("/image/preserve-colours", test_preserve_colors);
  g_test_add_func ("/image/bad-sizes", test_bad_sizes);
  return g_test_run ();
}
