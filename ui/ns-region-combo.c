/* ns-region-combo.c: the region choices of an image, with thumbnails. */
#include "ns-region-combo.h"

#include "ns-i18n.h"
#include "ns-style-refs.h"
#include "ns-thumbnails.h"

#define REGION_THUMB 24

/* A square of one grey: everywhere (white) or a missing mask. */
static GdkPixbuf *
flat_thumbnail (guint32 rgba)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, REGION_THUMB, REGION_THUMB);

  gdk_pixbuf_fill (pixbuf, rgba);
  return pixbuf;
}

/* The selection's thumbnail, inverted for its outside. */
static GdkPixbuf *
selection_thumbnail (GimpImage *image, gboolean outside)
{
  GdkPixbuf *pixbuf = ns_thumbnail_from_drawable (GIMP_DRAWABLE (gimp_image_get_selection (image)),
                                                  REGION_THUMB);
  guchar    *p;
  int        stride, channels;

  if (pixbuf == NULL || !outside)
    return pixbuf;
  p = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      for (int c = 0; c < MIN (channels, 3); c++)
        p[y * stride + x * channels + c] = 255 - p[y * stride + x * channels + c];
  return pixbuf;
}

GdkPixbuf *
ns_region_thumbnail (GimpImage *image, int region)
{
  GimpItem *item = region > 0 ? gimp_item_get_by_id (region) : NULL;

  if (region == NS_REGION_EVERYWHERE)
    return flat_thumbnail (0xffffffff);
  if (image != NULL && (region == NS_REGION_SELECTION || region == NS_REGION_OUTSIDE_SELECTION))
    return selection_thumbnail (image, region == NS_REGION_OUTSIDE_SELECTION);
  if (item != NULL && GIMP_IS_DRAWABLE (item))
    return ns_thumbnail_from_drawable (GIMP_DRAWABLE (item), REGION_THUMB);
  return flat_thumbnail (0x808080ff);
}

static void
append (GtkWidget *combo, int value, const char *label, GdkPixbuf *thumb)
{
  gimp_int_combo_box_append (GIMP_INT_COMBO_BOX (combo),
                             GIMP_INT_STORE_VALUE, value,
                             GIMP_INT_STORE_LABEL, label,
                             GIMP_INT_STORE_PIXBUF, thumb,
                             -1);
  g_clear_object (&thumb);
}

static void
append_drawable (GtkWidget *combo, GimpDrawable *drawable, const char *label)
{
  int id = gimp_item_get_id (GIMP_ITEM (drawable));

  append (combo, id, label, ns_region_thumbnail (NULL, id));
}

/* The layer masks of @layers and of the layers in their groups. */
static void
append_layer_masks (GtkWidget *combo, GimpItem **layers)
{
  for (int i = 0; layers != NULL && layers[i] != NULL; i++)
    {
      GimpLayerMask *mask = GIMP_IS_LAYER (layers[i]) ? gimp_layer_get_mask (GIMP_LAYER (layers[i]))
                                                       : NULL;

      if (mask != NULL)
        {
          /* TRANSLATORS: a layer mask in the region list, by its layer's name */
          char *label = g_strdup_printf (_("Mask of %s"), gimp_item_get_name (layers[i]));

          append_drawable (combo, GIMP_DRAWABLE (mask), label);
          g_free (label);
        }
      if (gimp_item_is_group (layers[i]))
        {
          GimpItem **children = gimp_item_get_children (layers[i]);

          append_layer_masks (combo, children);
          g_free (children);
        }
    }
}

GtkWidget *
ns_region_combo_new (GimpImage *image, int active)
{
  GtkWidget     *combo = g_object_new (GIMP_TYPE_INT_COMBO_BOX, NULL);
  GimpChannel  **channels;
  GimpLayer    **layers;

  append (combo, NS_REGION_EVERYWHERE, _("Everywhere"), ns_region_thumbnail (image, NS_REGION_EVERYWHERE));
  if (image != NULL && gimp_image_is_valid (image))
    {
      append (combo, NS_REGION_SELECTION, _("Selection"),
              ns_region_thumbnail (image, NS_REGION_SELECTION));
      append (combo, NS_REGION_OUTSIDE_SELECTION, _("Outside the selection"),
              ns_region_thumbnail (image, NS_REGION_OUTSIDE_SELECTION));
      channels = gimp_image_get_channels (image);
      for (int i = 0; channels != NULL && channels[i] != NULL; i++)
        append_drawable (combo, GIMP_DRAWABLE (channels[i]), gimp_item_get_name (GIMP_ITEM (channels[i])));
      g_free (channels);
      layers = gimp_image_get_layers (image);
      append_layer_masks (combo, (GimpItem **) layers);
      g_free (layers);
    }
  if (!gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), active))
    {
      append (combo, active, _("A region that is gone"), ns_region_thumbnail (NULL, NS_REGION_MISSING));
      gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), active);
    }
  gtk_widget_set_tooltip_text (combo, _("Where this style applies: everywhere, in the selection "
                                        "or outside it, or in a channel or layer mask (grey "
                                        "and feathered parts fade the style)"));
  return combo;
}
