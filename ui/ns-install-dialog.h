/* ns-install-dialog.h: installing the VGG19 weights from the dialog.
 *
 * A small modal dialog: a local safetensors file or an http(s) address,
 * Install, a progress bar that follows the copy or download (on a worker
 * thread, so the window stays alive), and Cancel, which also interrupts a
 * download (it resumes next time).  Nothing is installed unless the file
 * validates (ns-model-store.h).
 */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

/* TRUE when the weights were installed. */
gboolean ns_install_dialog_run (GtkWindow *parent);

G_END_DECLS
