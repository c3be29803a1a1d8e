/* ns-networks.h: the feature networks a run can use, as one table.
 *
 * The network argument's choices, the result record's word, the estimate's
 * calibrations and the install code all loop over this table (index =
 * the value of NsSettings.network); nothing is sized by its length.
 */
#pragma once

#include <glib.h>

#include "ns-network.h"
#include "ns-settings.h"

G_BEGIN_DECLS

typedef struct
{
  NsChoice    choice;      /* "builtin", "vgg19": argument and record word */
  const char *model;       /* its weights' name in the model store; NULL:
                              needs no weights, nothing to install */
  int         min_size;    /* the smallest side it accepts, in pixels */
  /* Opens it (@model_path: the installed weights, or NULL); NULL with a
   * core @error. */
  NsNetwork *(*open) (const char *model_path, GError **error);
} NsNetworkInfo;

/* The @index-th network, or NULL past the end of the table. */
const NsNetworkInfo *ns_network_get       (int index);
/* Its choice (ns_network_get's), as a setting's choice table wants. */
const NsChoice      *ns_network_choice    (int index);
int                  ns_network_count     (void);
/* The index of the network whose weights are @model, or -1. */
int                  ns_network_by_model  (const char *model);
/* TRUE when it needs no weights or they are installed. */
gboolean             ns_network_is_ready  (int index);

/* The network, or NULL with a translated @error (e.g. not installed). */
NsNetwork           *ns_networks_open     (int index, GError **error);

G_END_DECLS
