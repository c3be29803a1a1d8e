/* ns-download.h: installing model weights from a URL (libcurl), two ways.
 *
 * Full: the complete file (VGG19: 548 MB), its SHA-256 compared with the
 * published one when given (a mismatch installs nothing), then only the
 * tensors the network uses kept (80 MB).
 * Quick: where the server honours HTTP range requests, only the
 * safetensors header and the network's tensors are fetched, written as a
 * valid safetensors file of just those; no checksum can cover them, so
 * they are checked for shapes and finite values.  A server without ranges
 * gets the full way.
 * Either way an interrupted download resumes where it stopped (if the
 * server honours ranges), and the file is validated before it is renamed
 * into the model store, so a half-written file is never used.
 */
#pragma once

#include <glib.h>

#include "ns-model-store.h"

G_BEGIN_DECLS

typedef enum
{
  NS_DOWNLOAD_FULL,      /* whole file, checksum, stripped */
  NS_DOWNLOAD_QUICK      /* the network's tensors by ranges */
} NsDownloadMethod;

/* @sha256: the complete file's checksum (hex), checked by the full way;
 * NULL or "" checks none.  Raise *@cancel to interrupt. */
gboolean ns_model_download (const char *name, const char *url,
                            NsDownloadMethod method, const char *sha256,
                            NsInstallProgress progress, gpointer data,
                            const gint *cancel, GError **error);

G_END_DECLS
