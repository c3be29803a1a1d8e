/* ns-install.h: the procedure that installs network weights. */
#pragma once

#include <libgimp/gimp.h>

#include "ns-download.h"
#include "ns-model-store.h"

G_BEGIN_DECLS

#define NS_INSTALL_PROCEDURE_NAME "plug-in-neural-style-install-model"

GimpProcedure *ns_install_procedure_new (GimpPlugIn *plug_in);

/* Validates and installs the VGG19 weights from the file @path or, when
 * NULL, from @url the @method way, checking the complete file against
 * @sha256 (hex; NULL or "": no check) (raise *@cancel to interrupt a
 * download).  Any thread; FALSE with a translated @error. */
gboolean ns_install_vgg19 (const char *path, const char *url,
                           NsDownloadMethod method, const char *sha256,
                           NsInstallProgress progress, gpointer data,
                           const gint *cancel, GError **error);

G_END_DECLS
