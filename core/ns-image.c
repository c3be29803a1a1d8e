/* ns-image.c: planar float images and resampling. */
#include "ns-image.h"

#include <math.h>
#include <string.h>

#include "ns-error.h"

NsImage *
ns_image_new (int width, int height, int channels, GError **error)
{
  NsImage *image;

  if (width < 1 || height < 1 || channels < 1 ||
      width > NS_IMAGE_MAX_SIDE || height > NS_IMAGE_MAX_SIDE || channels > 4096)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "image size %dx%dx%d out of range", width, height, channels);
      return NULL;
    }
  image = g_new0 (NsImage, 1);
  image->width = width;
  image->height = height;
  image->channels = channels;
  image->data = ns_try_alloc0 ((gsize) width * height * channels,
                               sizeof (float), error);
  if (image->data == NULL)
    {
      g_free (image);
      return NULL;
    }
  return image;
}

gsize
ns_image_n_values (const NsImage *image)
{
  return (gsize) image->width * image->height * image->channels;
}

NsImage *
ns_image_copy (const NsImage *image, GError **error)
{
  NsImage *copy = ns_image_new (image->width, image->height, image->channels,
                                error);

  if (copy != NULL)
    memcpy (copy->data, image->data, ns_image_n_values (image) * sizeof (float));
  return copy;
}

void
ns_image_free (NsImage *image)
{
  if (image == NULL)
    return;
  g_free (image->data);
  g_free (image);
}

NsImage *
ns_image_new_from_interleaved (const float *pixels, int width, int height,
                               int stride, GError **error)
{
  NsImage *image;
  gsize    n = (gsize) width * height;

  if (stride < 3)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "interleaved stride %d < 3", stride);
      return NULL;
    }
  image = ns_image_new (width, height, 3, error);
  if (image == NULL)
    return NULL;
  for (int c = 0; c < 3; c++)
    {
      float *plane = image->data + c * n;

      for (gsize i = 0; i < n; i++)
        plane[i] = pixels[i * stride + c];
    }
  return image;
}

void
ns_image_to_interleaved (const NsImage *image, float *pixels, int stride)
{
  gsize n = (gsize) image->width * image->height;

  for (int c = 0; c < 3; c++)
    {
      const float *plane = image->data + c * n;

      for (gsize i = 0; i < n; i++)
        pixels[i * stride + c] = plane[i];
    }
}

void
ns_fit_long_side (int w, int h, int long_side, int *out_w, int *out_h)
{
  if (w >= h)
    {
      *out_w = long_side;
      *out_h = MAX (1, (int) lround ((double) h * long_side / w));
    }
  else
    {
      *out_h = long_side;
      *out_w = MAX (1, (int) lround ((double) w * long_side / h));
    }
}

void
ns_image_clamp (NsImage *image, float lo, float hi)
{
  gsize n = ns_image_n_values (image);

  for (gsize i = 0; i < n; i++)
    image->data[i] = CLAMP (image->data[i], lo, hi);
}

/* One output sample's weights over the input: taps [first, first + n). */
typedef struct
{
  int    first;
  int    n;
  float *weights;
} Taps;

/* Triangle-filter taps for resampling n_in samples to n_out, with
 * pixel-centre alignment; the support widens with the downscale factor. */
static Taps *
make_taps (int n_in, int n_out, int *max_taps, GError **error)
{
  double scale = (double) n_in / n_out;
  double support = MAX (1.0, scale);
  int    width = (int) ceil (support) * 2 + 1;
  Taps  *taps = ns_try_alloc0 (n_out, sizeof (Taps), error);
  float *pool;

  if (taps == NULL)
    return NULL;
  pool = ns_try_alloc0 ((gsize) n_out * width, sizeof (float), error);
  if (pool == NULL)
    {
      g_free (taps);
      return NULL;
    }
  for (int o = 0; o < n_out; o++)
    {
      double centre = (o + 0.5) * scale - 0.5;
      int    lo = (int) floor (centre - support) + 1;
      int    hi = (int) ceil (centre + support) - 1;
      double sum = 0.0;

      lo = MAX (lo, 0);
      hi = MIN (hi, n_in - 1);
      if (hi < lo)
        hi = lo = CLAMP ((int) lround (centre), 0, n_in - 1);
      taps[o].first = lo;
      taps[o].n = MIN (hi - lo + 1, width);
      taps[o].weights = pool + (gsize) o * width;
      for (int t = 0; t < taps[o].n; t++)
        {
          double w = 1.0 - fabs (lo + t - centre) / support;

          taps[o].weights[t] = w > 0.0 ? w : 0.0;
          sum += taps[o].weights[t];
        }
      for (int t = 0; t < taps[o].n; t++)
        taps[o].weights[t] = sum > 0.0 ? taps[o].weights[t] / sum
                                       : 1.0 / taps[o].n;
    }
  *max_taps = width;
  return taps;
}

static void
free_taps (Taps *taps)
{
  if (taps != NULL)
    g_free (taps[0].weights);
  g_free (taps);
}

NsImage *
ns_image_resize (const NsImage *image, int width, int height, GError **error)
{
  NsImage *out = NULL, *tmp = NULL;
  Taps    *tx = NULL, *ty = NULL;
  int      max_taps;

  out = ns_image_new (width, height, image->channels, error);
  tmp = out ? ns_image_new (width, image->height, image->channels, error) : NULL;
  tx = tmp ? make_taps (image->width, width, &max_taps, error) : NULL;
  ty = tx ? make_taps (image->height, height, &max_taps, error) : NULL;
  if (ty == NULL)
    {
      ns_image_free (out);
      out = NULL;
      goto done;
    }

  /* Rows first (channels x H_in x W_out), then columns. */
  for (int c = 0; c < image->channels; c++)
    for (int y = 0; y < image->height; y++)
      {
        const float *in = image->data + ((gsize) c * image->height + y) * image->width;
        float       *o = tmp->data + ((gsize) c * image->height + y) * width;

        for (int x = 0; x < width; x++)
          {
            float s = 0.0f;

            for (int t = 0; t < tx[x].n; t++)
              s += tx[x].weights[t] * in[tx[x].first + t];
            o[x] = s;
          }
      }
  for (int c = 0; c < image->channels; c++)
    for (int y = 0; y < height; y++)
      {
        float *o = out->data + ((gsize) c * height + y) * width;

        for (int t = 0; t < ty[y].n; t++)
          {
            const float *in = tmp->data + ((gsize) c * image->height + ty[y].first + t) * width;
            float        w = ty[y].weights[t];

            for (int x = 0; x < width; x++)
              o[x] += w * in[x];
          }
      }

done:
  free_taps (tx);
  free_taps (ty);
  ns_image_free (tmp);
  return out;
}
