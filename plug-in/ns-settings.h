/* ns-settings.h: the procedure's arguments and their plain-C copy.
 *
 * The config object must not cross into the worker thread, so the run
 * copies every value into NsSettings first.
 */
#pragma once

#include <libgimp/gimp.h>

G_BEGIN_DECLS

#define NS_PROCEDURE_NAME "plug-in-neural-style"

typedef enum
{
  NS_NETWORK_BUILTIN,
  NS_NETWORK_VGG19
} NsNetworkKind;

typedef struct
{
  GFile         *style_file;      /* owned; NULL: none */
  GimpLayer     *style_layer;     /* owned; NULL: none */
  double         style_weight;
  double         content_weight;
  double         tv_weight;
  double         preserve_colors;
  NsNetworkKind  network;
  int            iterations;
  int            max_size;
  guint32        seed;
} NsSettings;

void ns_settings_add_arguments (GimpProcedure *procedure);
void ns_settings_from_config   (NsSettings *settings,
                                GimpProcedureConfig *config);
void ns_settings_clear         (NsSettings *settings);

G_END_DECLS
