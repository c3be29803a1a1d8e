/* ns-model-source.c: the default downloads. */
#include "ns-model-source.h"

#include <string.h>

#include "ns-model-store.h"

/* timm republishes torchvision's ImageNet VGG19 weights as safetensors
 * under the torchvision tensor names (features.N.weight/.bias) the loader
 * reads; the hub states BSD-3-Clause and this checksum. */
static const NsModelSource sources[] = {
  { NS_MODEL_VGG19,
    "https://huggingface.co/timm/vgg19.tv_in1k/resolve/main/model.safetensors",
    "11aea017b543ff59233749d8f1cf544cda749378f5790d2fedab841fb86b7669",
    575, 80,
    "timm vgg19.tv_in1k (torchvision's ImageNet VGG19 weights)",
    "BSD-3-Clause" },
};

const NsModelSource *
ns_model_source_default (const char *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    if (model != NULL && strcmp (sources[i].model, model) == 0)
      return &sources[i];
  return NULL;
}

gboolean
ns_sha256_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *c = text; *c; c++)
    if (!g_ascii_isxdigit (*c))
      return FALSE;
  return TRUE;
}
