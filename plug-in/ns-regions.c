/* ns-regions.c: style regions as masks over the processed rectangle. */
#include "ns-regions.h"

#include "ns-i18n.h"

gboolean
ns_regions_use_selection (GArray *refs)
{
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const NsStyleRef *r = &g_array_index (refs, NsStyleRef, i);

      if (r->weight > 0.0 &&
          (r->region == NS_REGION_SELECTION || r->region == NS_REGION_OUTSIDE_SELECTION))
        return TRUE;
    }
  return FALSE;
}

/* The channel or layer mask of @image that @region names, or NULL. */
static GimpDrawable *
region_drawable (GimpImage *image, int region)
{
  GimpItem *item;

  if (region == NS_REGION_SELECTION || region == NS_REGION_OUTSIDE_SELECTION)
    return GIMP_DRAWABLE (gimp_image_get_selection (image));
  item = region > 0 ? gimp_item_get_by_id (region) : NULL;
  if (item == NULL || !GIMP_IS_CHANNEL (item) || GIMP_IS_SELECTION (item) ||
      gimp_item_get_image (item) != image)
    return NULL;
  return GIMP_DRAWABLE (item);
}

/* region_drawable, or NULL with a translated @error saying why not. */
static GimpDrawable *
find_region (GimpImage *image, int region, GError **error)
{
  GimpDrawable *drawable = region_drawable (image, region);

  if (drawable != NULL)
    return drawable;
  if (region == NS_REGION_MISSING)
    g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                         _("A style region of this result is gone: its channel or layer "
                           "mask was deleted. Choose the regions again."));
  else
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Style region %d is not a channel or layer mask of this image: choose "
                   "a channel, a layer mask, the selection or everywhere."), region);
  return NULL;
}

gboolean
ns_region_check (GimpImage *image, int region, GError **error)
{
  return region == NS_REGION_EVERYWHERE || find_region (image, region, error) != NULL;
}

/* The region's values (its buffer's "Y float", 0 outside it) over the
 * rectangle, which is @drawable-local, as a 1-channel image. */
static NsImage *
read_values (GimpDrawable *mask, GimpDrawable *drawable, int x, int y,
             int width, int height, GError **error)
{
  NsImage    *values = ns_image_new (width, height, 1, NULL);
  GeglBuffer *buffer;
  int         dx, dy, mx, my;

  if (values == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Not enough memory to read %d × %d pixels."), width, height);
      return NULL;
    }
  /* Buffers are local to their drawable: a layer mask sits at its
   * layer's offsets, a channel at the image's origin. */
  gimp_drawable_get_offsets (drawable, &dx, &dy);
  gimp_drawable_get_offsets (mask, &mx, &my);
  buffer = gimp_drawable_get_buffer (mask);
  gegl_buffer_get (buffer, GEGL_RECTANGLE (dx + x - mx, dy + y - my, width, height), 1.0,
                   babl_format ("Y float"), values->data, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  return values;
}

NsImage *
ns_region_read (GimpImage *image, GimpDrawable *drawable, int region, int x,
                int y, int width, int height, gboolean *everywhere, GError **error)
{
  GimpDrawable *mask_drawable;
  NsImage      *mask;
  double        mass = 0.0;
  gboolean      no_selection;

  *everywhere = region == NS_REGION_EVERYWHERE;
  if (*everywhere || (mask_drawable = find_region (image, region, error)) == NULL)
    return NULL;
  /* The selection of an image without one is everything. */
  no_selection = region < 0 && gimp_selection_is_empty (image);
  if ((mask = read_values (mask_drawable, drawable, x, y, width, height, error)) == NULL)
    return NULL;
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      float v = no_selection ? 1.0f : CLAMP (mask->data[i], 0.0f, 1.0f);

      mask->data[i] = region == NS_REGION_OUTSIDE_SELECTION ? 1.0f - v : v;
      mass += mask->data[i];
    }
  if (mass < 0.5)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The style region “%s” is empty where Neural Style works: choose a "
                     "region that covers part of the layer."),
                   region == NS_REGION_SELECTION ? _("Selection")
                   : region == NS_REGION_OUTSIDE_SELECTION ? _("Outside the selection")
                   : gimp_item_get_name (GIMP_ITEM (mask_drawable)));
      g_clear_pointer (&mask, ns_image_free);
    }
  return mask;
}
