/* ns-settings.h: the procedure's arguments and their plain-C copy.
 *
 * The config object must not cross into the worker thread, so the run
 * copies every value into NsSettings first.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-style-refs.h"
#include "ns-transfer.h"

G_BEGIN_DECLS

#define NS_PROCEDURE_NAME "plug-in-neural-style"

typedef enum
{
  NS_NETWORK_BUILTIN,
  NS_NETWORK_VGG19
} NsNetworkKind;

typedef enum
{
  NS_QUALITY_DRAFT,
  NS_QUALITY_NORMAL,
  NS_QUALITY_FINE
} NsQuality;

typedef struct
{
  GArray        *styles;          /* of NsStyleRef, in argument order */
  double         style_scale;
  double         style_weight;
  double         content_weight;
  double         tv_weight;
  double         preserve_colors;
  NsNetworkKind  network;
  NsQuality      quality;
  int            iterations;      /* 0: from quality */
  int            max_size;        /* -1: from quality; 0: full size */
  guint32        seed;
  int            threads;         /* 0: all cores */
  gboolean       more_iterations; /* continue the active layer, a result */
} NsSettings;

/* Iterations per scale and processing size that @quality stands for. */
void ns_quality_defaults (NsQuality quality, int *iterations, int *max_size);

void ns_settings_add_arguments (GimpProcedure *procedure);
/* FALSE with a translated @error when the style arguments do not fit
 * together (@settings is filled and must be cleared either way). */
gboolean ns_settings_from_config (NsSettings *settings,
                                  GimpProcedureConfig *config,
                                  GError **error);
void ns_settings_clear         (NsSettings *settings);
void ns_settings_copy          (NsSettings *dest, const NsSettings *src);
/* TRUE when a style source is given (weights aside). */
gboolean ns_settings_name_a_style (const NsSettings *settings);
/* The core's parameters for these settings (no progress, cancel or init). */
void ns_settings_to_transfer_params (const NsSettings *settings,
                                     NsTransferParams *params);

G_END_DECLS
