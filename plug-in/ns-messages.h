/* ns-messages.h: the core's error codes as translated user messages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Takes @core_error (an NS_ERROR or any other GError) and sets @dest
 * (which may be NULL) to a GIMP_PLUG_IN_ERROR whose message a user can
 * act on.  @network: the index of the network the run used (its minimum
 * size is named when the image is too small), or -1. */
void ns_propagate_user_error (GError **dest, GError *core_error, int network);

G_END_DECLS
