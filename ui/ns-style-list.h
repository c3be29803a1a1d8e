/* ns-style-list.h: the dialog's style sources, as many as wanted.
 *
 * A row for each source (thumbnail, name, kind, region of @image, blend
 * weight, Remove) and
 * below them ways to add an image file, a layer of any open image or a
 * bundled preset.  The widget edits the config's style arguments
 * (ns-style-refs.h) and follows them when something else changes them.
 */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

GtkWidget *ns_style_list_new (GimpProcedureConfig *config, GimpImage *image);

G_END_DECLS
