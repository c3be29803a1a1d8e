/* ns-model-source.h: where the plug-in's networks can be downloaded from
 * without the user finding a file: one row per model, read by the command
 * line tool, the install procedure and the Install dialog alike.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *model;        /* the model store's name (NS_MODEL_VGG19) */
  const char *url;          /* the complete file */
  const char *sha256;       /* its published checksum, lower-case hex */
  int         size_mb;      /* the complete file, about */
  int         kept_mb;      /* what is kept: the convolution tensors */
  const char *origin;       /* what it is, for the dialog and --help */
  const char *licence;      /* an SPDX identifier, as the publisher states it */
} NsModelSource;

/* The default download of @model, or NULL if it has none. */
const NsModelSource *ns_model_source_default (const char *model);

/* TRUE if @text is 64 hex digits (either case). */
gboolean             ns_sha256_is_valid      (const char *text);

G_END_DECLS
