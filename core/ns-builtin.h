/* ns-builtin.h: the built-in, weights-free feature network.
 *
 * A fixed Gabor filter bank over a 5-level Gaussian pyramid (the recipe and
 * its measurements: docs of the project's shared notes, restated in
 * ns-builtin.c).  Outputs "level0" .. "level4", each 54 x H_l x W_l with
 * H_0 = H and H_{l+1} = ceil (H_l / 2).
 */
#pragma once

#include "ns-network.h"

G_BEGIN_DECLS

#define NS_BUILTIN_LEVELS   5
#define NS_BUILTIN_FEATURES 54
#define NS_BUILTIN_MIN_SIZE 8     /* the smallest side forward accepts */

NsNetwork *ns_builtin_network_new (void);

/* The 8 kernels, 7 x 7 each, row-major, in the network's order (per
 * orientation 0, 45, 90, 135 degrees: even, odd).  For tests. */
const float *ns_builtin_kernels (NsNetwork *net);

G_END_DECLS
