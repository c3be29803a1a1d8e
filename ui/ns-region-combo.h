/* ns-region-combo.h: where a style source applies, chosen in its row.
 *
 * Everywhere, the selection, outside the selection, or any channel or
 * layer mask of the image being stylised, each with a small thumbnail of
 * its mask.  Values as NsStyleRef.region (ns-style-refs.h).
 */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

/* A GimpIntComboBox of @image's regions with @active chosen (a region
 * no longer there is listed as missing). */
GtkWidget *ns_region_combo_new (GimpImage *image, int active);

/* The small picture of @region's mask (white: everywhere; grey: gone). */
GdkPixbuf *ns_region_thumbnail (GimpImage *image, int region);

G_END_DECLS
