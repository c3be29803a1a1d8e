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

#include "ns-safetensors.h"
#include "ns-vgg.h"

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

/* The network's tensors of a safetensors file, as a file of their own:
 * their names in the network's order, and that file's first bytes (the
 * 8-byte length, then the header); the tensors' bytes follow in order. */
typedef struct
{
  char    *names[2 * NS_VGG19_CONVS];
  char    *head;          /* head_len bytes */
  gsize    head_len;
  guint64  data_size;     /* of the tensors */
} NsModelSubset;

/* FALSE (NS_ERROR_BAD_WEIGHTS) when @st, read from @source, lacks one of
 * the tensors.  Cleared with ns_model_subset_clear either way. */
gboolean ns_model_subset_init  (NsModelSubset *subset, NsSafetensors *st,
                                const char *source, GError **error);
void     ns_model_subset_clear (NsModelSubset *subset);

G_END_DECLS
