/* ns-thumbnails.c: small pictures for the dialog. */
#include "ns-thumbnails.h"

/* The size of @w x @h fitted into @box x @box; enlarged only if @enlarge. */
static void
fit_box (int w, int h, int box, gboolean enlarge, int *out_w, int *out_h)
{
  double f = MIN ((double) box / w, (double) box / h);

  if (!enlarge)
    f = MIN (f, 1.0);

  *out_w = MAX (1, (int) (w * f + 0.5));
  *out_h = MAX (1, (int) (h * f + 0.5));
}

GdkPixbuf *
ns_thumbnail_from_image (const NsImage *image, int box)
{
  GdkPixbuf *full, *fitted;
  guchar    *pixels;
  int        stride, w, h;
  gsize      plane = (gsize) image->width * image->height;

  full = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, image->width, image->height);
  if (full == NULL)
    return NULL;
  pixels = gdk_pixbuf_get_pixels (full);
  stride = gdk_pixbuf_get_rowstride (full);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      for (int c = 0; c < 3; c++)
        {
          float v = image->data[c * plane + (gsize) y * image->width + x];

          pixels[y * stride + x * 3 + c] = (guchar) (CLAMP (v, 0.0f, 1.0f) * 255.0f + 0.5f);
        }
  /* Coarse scales of a run are small: shown at the box's size. */
  fit_box (image->width, image->height, box, TRUE, &w, &h);
  fitted = gdk_pixbuf_scale_simple (full, w, h, GDK_INTERP_BILINEAR);
  g_object_unref (full);
  return fitted;
}

GdkPixbuf *
ns_thumbnail_from_file (GFile *file, int box)
{
  char      *path = file != NULL ? g_file_get_path (file) : NULL;
  GdkPixbuf *pixbuf = NULL;

  if (path != NULL)
    pixbuf = gdk_pixbuf_new_from_file_at_size (path, box, box, NULL);
  g_free (path);
  return pixbuf;
}

GdkPixbuf *
ns_thumbnail_from_drawable (GimpDrawable *drawable, int box)
{
  int w, h;

  if (drawable == NULL || !gimp_item_is_valid (GIMP_ITEM (drawable)))
    return NULL;
  fit_box (gimp_drawable_get_width (drawable), gimp_drawable_get_height (drawable),
           box, FALSE, &w, &h);
  return gimp_drawable_get_thumbnail (drawable, w, h, GIMP_PIXBUF_SMALL_CHECKS);
}

GdkPixbuf *
ns_thumbnail_from_preset (const NsPreset *preset, int box)
{
  NsImage   *style;
  GdkPixbuf *pixbuf;
  GFile     *file;

  if (preset->image_path != NULL)
    {
      file = g_file_new_for_path (preset->image_path);
      pixbuf = ns_thumbnail_from_file (file, box);
      g_object_unref (file);
      return pixbuf;
    }
  style = ns_preset_style (preset, NULL);
  pixbuf = style != NULL ? ns_thumbnail_from_image (style, box) : NULL;
  ns_image_free (style);
  return pixbuf;
}
