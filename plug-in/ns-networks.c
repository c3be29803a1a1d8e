/* ns-networks.c: the network table, and opening a network from it. */
#include "ns-networks.h"

#include <libgimp/gimp.h>

#include "ns-builtin.h"
#include "ns-i18n.h"
#include "ns-messages.h"
#include "ns-model-store.h"
#include "ns-vgg.h"

static NsNetwork *
open_builtin (const char *model_path, GError **error)
{
  (void) model_path;
  (void) error;
  return ns_builtin_network_new ();
}

static NsNetwork *
open_vgg19 (const char *model_path, GError **error)
{
  return ns_vgg19_network_new (model_path, error);
}

static const NsNetworkInfo networks[] = {
  { { "builtin", N_("Built-in (works offline)") }, NULL,
    NS_BUILTIN_MIN_SIZE, open_builtin },
  { { "vgg19", N_("VGG19 (classic look; install it first)") }, NS_MODEL_VGG19,
    NS_VGG19_MIN_SIZE, open_vgg19 },
};

const NsNetworkInfo *
ns_network_get (int index)
{
  return index >= 0 && index < (int) G_N_ELEMENTS (networks) ? &networks[index] : NULL;
}

const NsChoice *
ns_network_choice (int index)
{
  const NsNetworkInfo *info = ns_network_get (index);

  return info ? &info->choice : NULL;
}

int
ns_network_count (void)
{
  return G_N_ELEMENTS (networks);
}

int
ns_network_by_model (const char *model)
{
  for (int i = 0; i < (int) G_N_ELEMENTS (networks); i++)
    if (g_strcmp0 (networks[i].model, model) == 0)
      return i;
  return -1;
}

gboolean
ns_network_is_ready (int index)
{
  const NsNetworkInfo *info = ns_network_get (index);

  return info != NULL && (info->model == NULL || ns_model_is_installed (info->model));
}

NsNetwork *
ns_networks_open (int index, GError **error)
{
  const NsNetworkInfo *info = ns_network_get (index);
  g_autofree char     *path = NULL;
  GError              *core_error = NULL;
  NsNetwork           *net;

  g_return_val_if_fail (info != NULL, NULL);
  if (info->model != NULL)
    {
      path = ns_model_path (info->model);
      if (!ns_model_is_installed (info->model))
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("The VGG19 network is not installed. Install its weights "
                         "with plug-in-neural-style-install-model (a local "
                         "safetensors file of torchvision's VGG19, e.g. timm's "
                         "vgg19.tv_in1k), or choose the built-in network. It "
                         "will be kept in %s."), path);
          return NULL;
        }
    }
  net = info->open (path, &core_error);
  if (net == NULL)
    ns_propagate_user_error (error, core_error, index);
  return net;
}
