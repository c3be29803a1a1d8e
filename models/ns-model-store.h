/* ns-model-store.h: where the plug-in keeps network weights, and
 * installing them so that no half-written or unvalidated file is ever used.
 *
 * Models live in $XDG_DATA_HOME/neural-style/models/NAME.safetensors.  An
 * install writes a hidden temporary file in that folder, validates it as the
 * network it claims to be, and only then renames it into place (atomic on
 * one file system).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_MODEL_VGG19 "vgg19"

/* Bytes copied so far and the total (0 if unknown). */
typedef void (*NsInstallProgress) (guint64 done, guint64 total, gpointer data);

char    *ns_model_dir          (void);
char    *ns_model_path         (const char *name);
gboolean ns_model_is_installed (const char *name);

/* Installs the tensors of @source that the network uses (a stripped
 * copy) into the store as model @name after validating them. */
gboolean ns_model_install_file (const char *name, const char *source,
                                NsInstallProgress progress, gpointer data,
                                GError **error);

G_END_DECLS
