/* ns-messages.h: the core's error codes as translated user messages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new GError in GIMP_PLUG_IN_ERROR whose message a user can act on,
 * for @core_error (an NS_ERROR or any other GError). */
GError *ns_user_error_from_core (const GError *core_error);

G_END_DECLS
