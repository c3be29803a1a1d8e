/* ns-layer.h: writing a result back as a new layer. */
#pragma once

#include <libgimp/gimp.h>

#include "ns-pixels.h"

G_BEGIN_DECLS

/* Adds a layer named @name holding @result (a region of @source, RGBA
 * floats in @source's colour space) just above @source in its group, in one
 * undo step, with @record attached; with @mask_from_selection it also gets
 * a mask from the selection.  Returns the layer (owned by the image). */
GimpLayer *ns_layer_add_result    (GimpImage *image, GimpDrawable *source,
                                   const NsPixels *result,
                                   gboolean mask_from_selection,
                                   const char *name,
                                   const GimpParasite *record);
/* A copy of @previous (a result; @result covers all of it) just above it,
 * holding @result, named @name, with @record instead of its own. */
GimpLayer *ns_layer_add_continued (GimpImage *image, GimpLayer *previous,
                                   const NsPixels *result, const char *name,
                                   const GimpParasite *record);

G_END_DECLS
