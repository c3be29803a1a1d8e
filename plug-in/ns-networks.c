/* ns-networks.c: opening the built-in network or the installed VGG19. */
#include "ns-networks.h"

#include <libgimp/gimp.h>

#include "ns-builtin.h"
#include "ns-i18n.h"
#include "ns-messages.h"
#include "ns-model-store.h"
#include "ns-vgg.h"

NsNetwork *
ns_networks_open (NsNetworkKind kind, GError **error)
{
  NsNetwork *net;
  GError    *core_error = NULL;
  char      *path;

  if (kind != NS_NETWORK_VGG19)
    return ns_builtin_network_new ();

  path = ns_model_path (NS_MODEL_VGG19);
  if (!ns_model_is_installed (NS_MODEL_VGG19))
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The VGG19 network is not installed. Install its weights "
                     "with plug-in-neural-style-install-model (a local "
                     "safetensors file of torchvision's VGG19, e.g. timm's "
                     "vgg19.tv_in1k), or choose the built-in network. It "
                     "will be kept in %s."), path);
      g_free (path);
      return NULL;
    }
  net = ns_vgg19_network_new (path, NS_VGG_POOL_MAX, &core_error);
  g_free (path);
  if (net == NULL)
    {
      *error = ns_user_error_from_core (core_error);
      g_error_free (core_error);
    }
  return net;
}
