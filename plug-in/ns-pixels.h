/* ns-pixels.h: pixels between GIMP drawables and the core's float images.
 *
 * All of it runs on the main thread: every libgimp call, buffer I/O
 * included, is a message on the plug-in's one pipe to GIMP.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-image.h"

G_BEGIN_DECLS

/* A drawable-local rectangle read as "R'G'B'A float" in the drawable's own
 * colour space (any precision, grayscale as R = G = B, alpha 1 if none). */
typedef struct
{
  int    x;
  int    y;
  int    width;
  int    height;
  float *rgba;          /* width x height x 4, interleaved */
} NsPixels;

gboolean ns_pixels_read  (GimpDrawable *drawable, int x, int y,
                          int width, int height, NsPixels *pixels,
                          GError **error);
void     ns_pixels_clear (NsPixels *pixels);

/* The RGB of a whole layer, flattened over white where it is transparent. */
NsImage *ns_style_from_drawable (GimpDrawable *drawable, GError **error);
/* The RGB of an image file, loaded by GIMP (any format it can open). */
NsImage *ns_style_from_file     (GFile *file, GError **error);

/* TRUE when the image's selection covers only part of the drawable-local
 * rectangle, so that the result needs a mask. */
gboolean ns_selection_is_partial (GimpImage *image, GimpDrawable *drawable,
                                  int x, int y, int width, int height);

G_END_DECLS
