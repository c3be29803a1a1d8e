/* ns-regions.h: where each style applies, read from the content's image.
 *
 * A style source's region (NsStyleRef.region) is everywhere, the
 * selection, outside the selection, or a channel or layer mask of the
 * image being stylised.  Read over the processed rectangle, it becomes
 * the core's mask (1 x w x h, values in [0, 1]; ns-transfer.h): soft
 * where the selection is feathered or the channel grey.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-image.h"
#include "ns-style-refs.h"

G_BEGIN_DECLS

/* TRUE when a source in @refs with a weight above 0 is limited to the
 * selection or its outside: the selection then defines regions, and no
 * longer limits the processed rectangle or masks the new layer. */
gboolean ns_regions_use_selection (GArray *refs);

/* FALSE with a translated @error when @region cannot be one for @image:
 * an ID that is not a channel or layer mask of it. */
gboolean ns_region_check          (GimpImage *image, int region, GError **error);

/* @region over the drawable-local rectangle of @drawable as a mask; NULL
 * for NS_REGION_EVERYWHERE.  NULL with a translated @error when it is
 * not a region of @image or covers none of the rectangle.
 * *@everywhere says which NULL it was. */
NsImage *ns_region_read           (GimpImage *image, GimpDrawable *drawable,
                                   int region, int x, int y, int width,
                                   int height, gboolean *everywhere,
                                   GError **error);

G_END_DECLS
