/* ns-messages.c: what the core's error codes mean to a GIMP user. */
#include "ns-messages.h"

#include <libgimp/gimp.h>

#include "ns-error.h"
#include "ns-i18n.h"
#include "ns-networks.h"

/* The too-small message, with the smallest size that network takes (that
 * of every network when the run's is not known). */
static char *
too_small_text (int network)
{
  const NsNetworkInfo *info = ns_network_get (network);
  int                  min_size = info ? info->min_size : 0;

  for (int i = 0; info == NULL && ns_network_get (i) != NULL; i++)
    min_size = MAX (min_size, ns_network_get (i)->min_size);
  return g_strdup_printf (_("The layer, the selection or a style image is too small: "
                            "Neural Style needs at least %d × %d pixels."),
                          min_size, min_size);
}

static GError *
user_error (const GError *core_error, int network)
{
  g_autofree char *owned = NULL;
  const char      *text;

  if (core_error->domain != NS_ERROR)
    return g_error_new (GIMP_PLUG_IN_ERROR, 0, "%s", core_error->message);

  switch ((NsError) core_error->code)
    {
    case NS_ERROR_NO_MEMORY:
      text = _("Not enough memory for this size. Lower the processing size "
               "(max-size) or select a smaller area, and try again.");
      break;
    case NS_ERROR_IMAGE_TOO_SMALL:
      text = owned = too_small_text (network);
      break;
    case NS_ERROR_CANCELLED:
      text = _("Neural Style was cancelled; the image is unchanged.");
      break;
    case NS_ERROR_BAD_WEIGHTS:
      text = _("The network's weights file is damaged or of the wrong kind.");
      break;
    case NS_ERROR_IO:
      text = _("A file Neural Style needs could not be read.");
      break;
    case NS_ERROR_WRITE:
      text = _("Neural Style could not write its files: the disk may be full or the "
               "folder read-only.");
      break;
    case NS_ERROR_DOWNLOAD:
      text = _("The download failed: the address is wrong, or the server did not send "
               "the whole file. Try again later or install from a file.");
      break;
    case NS_ERROR_CHECKSUM:
      text = _("The downloaded file is not the published one: its SHA-256 checksum "
               "differs. Nothing was installed. Try again, or check the address and "
               "the checksum.");
      break;
    case NS_ERROR_INVALID_ARGUMENT:
    default:
      text = _("Neural Style was given settings it cannot use.");
      break;
    }
  /* The core's own detail is English and for developers: keep it, second. */
  return g_error_new (GIMP_PLUG_IN_ERROR, 0, "%s\n(%s)", text,
                      core_error->message);
}

void
ns_propagate_user_error (GError **dest, GError *core_error, int network)
{
  if (core_error == NULL)
    return;
  if (dest != NULL)
    g_propagate_error (dest, user_error (core_error, network));
  g_error_free (core_error);
}
