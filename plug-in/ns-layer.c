/* ns-layer.c: the result as a new layer, touching the image only once the
 * result is complete (GIMP's own Cancel kills the plug-in outright). */
#include "ns-layer.h"

GimpLayer *
ns_layer_add_result (GimpImage *image, GimpDrawable *source,
                     const NsPixels *result, gboolean mask_from_selection,
                     const char *name)
{
  GimpLayer  *layer;
  GimpItem   *parent;
  GeglBuffer *buffer;
  int         off_x, off_y;

  gimp_image_undo_group_start (image);

  layer = gimp_layer_new (image, name, result->width, result->height,
                          gimp_drawable_type_with_alpha (source), 100.0,
                          gimp_image_get_default_new_layer_mode (image));
  parent = gimp_item_get_parent (GIMP_ITEM (source));
  gimp_image_insert_layer (image, layer, GIMP_LAYER (parent),
                           gimp_image_get_item_position (image, GIMP_ITEM (source)));
  gimp_drawable_get_offsets (source, &off_x, &off_y);
  gimp_layer_set_offsets (layer, off_x + result->x, off_y + result->y);

  buffer = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));
  gegl_buffer_set (buffer, GEGL_RECTANGLE (0, 0, result->width, result->height), 0,
                   babl_format_with_space ("R'G'B'A float",
                                           gimp_drawable_get_format (source)),
                   result->rgba, GEGL_AUTO_ROWSTRIDE);
  g_object_unref (buffer);       /* flushes before the update below */
  gimp_drawable_update (GIMP_DRAWABLE (layer), 0, 0,
                        result->width, result->height);

  if (mask_from_selection)
    gimp_layer_add_mask (layer, gimp_layer_create_mask (layer, GIMP_ADD_MASK_SELECTION));

  gimp_image_undo_group_end (image);
  return layer;
}
