/* ns-image.h: planar float images, the core's currency.
 *
 * Shape: channels x height x width, row-major within a plane.  Colour images
 * have 3 channels holding sRGB-encoded values in [0, 1].
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int    width;
  int    height;
  int    channels;
  float *data;          /* channels * height * width floats */
} NsImage;

/* The largest side the core accepts: beyond it sizes overflow int maths. */
#define NS_IMAGE_MAX_SIDE 65536

NsImage *ns_image_new        (int width, int height, int channels,
                              GError **error);
NsImage *ns_image_copy       (const NsImage *image, GError **error);
void     ns_image_free       (NsImage *image);
gsize    ns_image_n_values   (const NsImage *image);

/* From an interleaved buffer with @stride floats per pixel, taking the
 * first 3 of them (RGB of RGBA, say). */
NsImage *ns_image_new_from_interleaved (const float *pixels, int width,
                                        int height, int stride,
                                        GError **error);
/* Writes the 3 colour planes into the first 3 floats of each pixel of an
 * interleaved buffer, leaving the others (alpha) as they are. */
void     ns_image_to_interleaved       (const NsImage *image, float *pixels,
                                        int stride);

/* Resampled copy.  Downscaling averages over each output pixel's footprint
 * (a triangle filter as wide as the scale), upscaling is bilinear, so the
 * same call serves both without aliasing. */
NsImage *ns_image_resize     (const NsImage *image, int width, int height,
                              GError **error);

/* Size with the long side @long_side and the aspect ratio of w x h kept
 * (each side at least 1). */
void     ns_fit_long_side    (int w, int h, int long_side,
                              int *out_w, int *out_h);

void     ns_image_clamp      (NsImage *image, float lo, float hi);

G_END_DECLS
