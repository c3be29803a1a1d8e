/* ns-preset-combo.h: a combo box of the bundled style presets, with
 * thumbnails, bound to the config's "style-preset" string.  Choosing a
 * preset also sets its recommended strength, scale, colours and smoothness
 * (the other widgets follow the config). */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

GtkWidget *ns_preset_combo_new (GimpProcedureConfig *config);

G_END_DECLS
