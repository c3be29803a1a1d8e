/* ns-networks.h: the feature network a run asked for, ready to use. */
#pragma once

#include <glib.h>

#include "ns-network.h"
#include "ns-settings.h"

G_BEGIN_DECLS

/* The network, or NULL with a translated @error (e.g. VGG19 not installed). */
NsNetwork *ns_networks_open (NsNetworkKind kind, GError **error);

G_END_DECLS
