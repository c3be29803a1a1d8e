/* ns-preset-combo.h: a combo box of the bundled style presets, with
 * thumbnails, names and descriptions; its active id is the preset's id
 * (the first preset is active at the start). */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

GtkWidget *ns_preset_combo_new (void);

G_END_DECLS
