/* ns-dialog.h: the interactive Neural Style dialog.
 *
 * Settings (bound to the procedure's config, so they are remembered), the
 * content and style thumbnails, a preview that shows the image forming, a
 * progress bar with the time left.  Preview runs a small, fast version;
 * Apply (the OK button) runs at full size and adds the result as a new
 * layer; Stop ends a run early keeping what it has (Apply: as the layer);
 * Cancel or closing the window ends any run and writes nothing.
 */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

/* GIMP_PDB_SUCCESS with *@layer set, or GIMP_PDB_CANCEL.  A failed run
 * says why in the dialog and leaves it open for another try. */
GimpPDBStatusType ns_dialog_run (GimpProcedure *procedure,
                                 GimpProcedureConfig *config,
                                 GimpImage *image, GimpDrawable **drawables,
                                 GimpLayer **layer);

G_END_DECLS
