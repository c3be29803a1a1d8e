/* ns-layer.c: the result as a new layer, touching the image only once the
 * result is complete (GIMP's own Cancel kills the plug-in outright). */
#include "ns-layer.h"

/* Writes @px (the whole of @layer) into @layer's buffer. */
static void
set_pixels (GimpLayer *layer, GimpDrawable *format_source, const NsPixels *px)
{
  GeglBuffer *buffer = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));

  gegl_buffer_set (buffer, GEGL_RECTANGLE (0, 0, px->width, px->height), 0,
                   babl_format_with_space ("R'G'B'A float",
                                           gimp_drawable_get_format (format_source)),
                   px->rgba, GEGL_AUTO_ROWSTRIDE);
  g_object_unref (buffer);       /* flushes before the update below */
  gimp_drawable_update (GIMP_DRAWABLE (layer), 0, 0, px->width, px->height);
}

/* Inserts @layer just above @below, in its group. */
static void
insert_above (GimpImage *image, GimpLayer *layer, GimpItem *below)
{
  GimpItem *parent = gimp_item_get_parent (below);

  gimp_image_insert_layer (image, layer, GIMP_LAYER (parent),
                           gimp_image_get_item_position (image, below));
}

GimpLayer *
ns_layer_add_result (GimpImage *image, GimpDrawable *source,
                     const NsPixels *result, gboolean mask_from_selection,
                     const char *name, const GimpParasite *record)
{
  GimpLayer *layer;
  int        off_x, off_y;

  gimp_image_undo_group_start (image);

  layer = gimp_layer_new (image, name, result->width, result->height,
                          gimp_drawable_type_with_alpha (source), 100.0,
                          gimp_image_get_default_new_layer_mode (image));
  insert_above (image, layer, GIMP_ITEM (source));
  gimp_drawable_get_offsets (source, &off_x, &off_y);
  gimp_layer_set_offsets (layer, off_x + result->x, off_y + result->y);
  set_pixels (layer, source, result);
  if (mask_from_selection)
    gimp_layer_add_mask (layer, gimp_layer_create_mask (layer, GIMP_ADD_MASK_SELECTION));
  gimp_item_attach_parasite (GIMP_ITEM (layer), record);

  gimp_image_undo_group_end (image);
  return layer;
}

GimpLayer *
ns_layer_add_continued (GimpImage *image, GimpLayer *previous,
                        const NsPixels *result, const char *name,
                        const GimpParasite *record)
{
  GimpLayer *layer;

  gimp_image_undo_group_start (image);

  /* A copy keeps the previous result's place, mode, opacity and mask. */
  layer = gimp_layer_copy (previous);
  insert_above (image, layer, GIMP_ITEM (previous));
  gimp_item_set_name (GIMP_ITEM (layer), name);
  set_pixels (layer, GIMP_DRAWABLE (previous), result);
  gimp_item_attach_parasite (GIMP_ITEM (layer), record);

  gimp_image_undo_group_end (image);
  return layer;
}
