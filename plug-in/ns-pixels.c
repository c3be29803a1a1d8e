/* ns-pixels.c: reading drawables and style sources into float buffers. */
#include "ns-pixels.h"

#include <string.h>

#include "ns-i18n.h"

static const Babl *
rgba_float_format (GimpDrawable *drawable)
{
  return babl_format_with_space ("R'G'B'A float",
                                 gimp_drawable_get_format (drawable));
}

/* 8 and 16-bit perceptual layers are read as integers and scaled here.
 * babl picks its integer-to-float path by timing, and the candidates differ
 * in the last bits, so reading floats straight made equal layers give
 * unequal results from run to run; this way a seed reproduces a result. */
static int
integer_bits (GimpDrawable *drawable)
{
  const char *encoding = babl_format_get_encoding (gimp_drawable_get_format (drawable));

  if (strchr (encoding, '\'') == NULL)
    return 0;                             /* linear: float keeps precision */
  if (g_str_has_suffix (encoding, " u8"))
    return 8;
  if (g_str_has_suffix (encoding, " u16"))
    return 16;
  return 0;
}

static void
read_integer_rgba (GeglBuffer *buffer, const GeglRectangle *rect,
                   GimpDrawable *drawable, int bits, float *rgba)
{
  gsize       n = (gsize) rect->width * rect->height * 4;
  const Babl *format = babl_format_with_space (bits == 8 ? "R'G'B'A u8" : "R'G'B'A u16",
                                               gimp_drawable_get_format (drawable));

  if (bits == 8)
    {
      /* The floats' own buffer holds the bytes, expanded from the end. */
      guint8 *bytes = (guint8 *) rgba;

      gegl_buffer_get (buffer, rect, 1.0, format, bytes, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (gsize i = n; i-- > 0;)
        rgba[i] = bytes[i] / 255.0f;
    }
  else
    {
      guint16 *words = (guint16 *) rgba;

      gegl_buffer_get (buffer, rect, 1.0, format, words, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (gsize i = n; i-- > 0;)
        rgba[i] = words[i] / 65535.0f;
    }
}

gboolean
ns_pixels_read (GimpDrawable *drawable, int x, int y, int width, int height,
                NsPixels *pixels, GError **error)
{
  GeglBuffer *buffer;
  gsize       n = (gsize) width * height;
  int         bits = integer_bits (drawable);

  pixels->x = x;
  pixels->y = y;
  pixels->width = width;
  pixels->height = height;
  pixels->rgba = n <= G_MAXSIZE / (4 * sizeof (float))
                 ? g_try_malloc (n * 4 * sizeof (float)) : NULL;
  if (pixels->rgba == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Not enough memory to read %d × %d pixels."), width, height);
      return FALSE;
    }
  buffer = gimp_drawable_get_buffer (drawable);
  if (bits != 0)
    read_integer_rgba (buffer, GEGL_RECTANGLE (x, y, width, height), drawable,
                       bits, pixels->rgba);
  else
    gegl_buffer_get (buffer, GEGL_RECTANGLE (x, y, width, height), 1.0,
                     rgba_float_format (drawable), pixels->rgba,
                     GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  return TRUE;
}

void
ns_pixels_clear (NsPixels *pixels)
{
  g_clear_pointer (&pixels->rgba, g_free);
}

NsImage *
ns_style_from_drawable (GimpDrawable *drawable, GError **error)
{
  NsPixels pixels;
  NsImage *image;
  GError  *core_error = NULL;
  gsize    n;

  if (!ns_pixels_read (drawable, 0, 0, gimp_drawable_get_width (drawable),
                       gimp_drawable_get_height (drawable), &pixels, error))
    return NULL;
  n = (gsize) pixels.width * pixels.height;
  for (gsize i = 0; i < n; i++)
    {
      float *p = pixels.rgba + 4 * i;
      float  a = CLAMP (p[3], 0.0f, 1.0f);

      for (int c = 0; c < 3; c++)
        p[c] = a * p[c] + (1.0f - a);
    }
  image = ns_image_new_from_interleaved (pixels.rgba, pixels.width,
                                         pixels.height, 4, &core_error);
  ns_pixels_clear (&pixels);
  if (image == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The style image cannot be used: %s"), core_error->message);
      g_error_free (core_error);
    }
  return image;
}

NsImage *
ns_style_from_file (GFile *file, GError **error)
{
  GimpImage  *image;
  GimpLayer  *flat;
  NsImage    *style;

  image = gimp_file_load (GIMP_RUN_NONINTERACTIVE, file);
  if (image == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Could not open the style image “%s”."),
                   gimp_file_get_utf8_name (file));
      return NULL;
    }
  /* Our own copy, never displayed: flattening it loses nothing. */
  flat = gimp_image_flatten (image);
  style = flat ? ns_style_from_drawable (GIMP_DRAWABLE (flat), error) : NULL;
  if (flat == NULL)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("The style image “%s” has no visible pixels."),
                 gimp_file_get_utf8_name (file));
  gimp_image_delete (image);
  return style;
}

gboolean
ns_selection_is_partial (GimpImage *image, GimpDrawable *drawable,
                         int x, int y, int width, int height)
{
  GimpSelection *selection;
  GeglBuffer    *buffer;
  float         *mask;
  gboolean       partial = FALSE;
  int            off_x, off_y;
  gsize          n = (gsize) width * height;

  if (gimp_selection_is_empty (image))
    return FALSE;
  mask = g_try_malloc (n * sizeof (float));
  if (mask == NULL)
    return TRUE;                /* a mask is the safe answer */
  gimp_drawable_get_offsets (drawable, &off_x, &off_y);
  selection = gimp_image_get_selection (image);
  buffer = gimp_drawable_get_buffer (GIMP_DRAWABLE (selection));
  gegl_buffer_get (buffer, GEGL_RECTANGLE (off_x + x, off_y + y, width, height),
                   1.0, babl_format ("Y float"), mask, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  for (gsize i = 0; i < n && !partial; i++)
    partial = mask[i] < 0.999f;
  g_free (mask);
  return partial;
}
