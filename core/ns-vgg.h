/* ns-vgg.h: VGG19's convolutional part, evaluated forward and backward.
 *
 * Weights come from a safetensors file with torchvision's names
 * (features.N.weight, shape out x in x 3 x 3, and features.N.bias); the
 * channel counts are read from the shapes, so reduced test networks with
 * VGG19's layer structure load too.  Outputs are the 16 ReLU layers,
 * "relu1_1" .. "relu5_4", each C x H' x W' (H' halved, floor, after each of
 * the 4 pools before it).
 */
#pragma once

#include "ns-network.h"
#include "ns-safetensors.h"

G_BEGIN_DECLS

#define NS_VGG19_CONVS    16
#define NS_VGG19_MIN_SIZE 16     /* 4 max pools (2 x 2) before relu5_1 */

NsNetwork *ns_vgg19_network_new_from_safetensors (NsSafetensors *weights,
                                                  GError **error);
NsNetwork *ns_vgg19_network_new                  (const char *path,
                                                  GError **error);

/* The safetensors names of conv layer i (0 .. 15), e.g. "features.0.weight". */
char      *ns_vgg19_weight_name (int conv, gboolean bias);

G_END_DECLS
