/* ns-download.h: installing model weights from a URL (libcurl).
 *
 * Where the server honours HTTP range requests, only the safetensors header
 * and the tensors the network uses are fetched (about 80 MB of VGG19's
 * 548 MB), written as a valid safetensors file of just those; an
 * interrupted download resumes where it stopped.  A server without ranges
 * gets the whole file.  Either way the file is validated before it is
 * renamed into the model store, so a half-written file is never used.
 */
#pragma once

#include <glib.h>

#include "ns-model-store.h"

G_BEGIN_DECLS

gboolean ns_model_download (const char *name, const char *url,
                            NsInstallProgress progress, gpointer data,
                            const gint *cancel, GError **error);

G_END_DECLS
