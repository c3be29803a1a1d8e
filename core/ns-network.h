/* ns-network.h: the feature-network interface.
 *
 * A network maps an RGB image (3 x H x W, sRGB-encoded values in [0, 1]) to
 * named feature maps ("outputs", each C x H' x W'), and maps gradients on
 * those maps back to a gradient on the image.  The built-in Gabor pyramid
 * and VGG19 both implement it; the losses and the optimiser see only this.
 */
#pragma once

#include <glib.h>

#include "ns-image.h"

G_BEGIN_DECLS

typedef struct
{
  int    channels;
  int    height;
  int    width;
  float *data;          /* channels x height x width; NULL when not computed */
} NsTensor;

typedef struct _NsNetwork     NsNetwork;
typedef struct _NsActivations NsActivations;

/* Where an input lies in the image it was cut from (a tile's window):
 * its top-left pixel at (x, y) of a whole_width x whole_height image.  A
 * network whose arithmetic follows a grid (VGG19's Winograd tiles) lays
 * that grid, and chooses its tile sizes, as for the whole image, so that
 * a window's outputs are the whole image's to the last bit: where the
 * gradient is not continuous (a max pool's near tie), a rounding apart
 * would move it. */
typedef struct
{
  int x;
  int y;
  int whole_width;
  int whole_height;
} NsWindow;

typedef struct
{
  /* Computes the outputs flagged in @wanted (n_outputs booleans) and keeps
   * what backward needs.  Returns a network-specific subtype. */
  NsActivations *(*forward)          (NsNetwork      *net,
                                      const NsImage  *input,
                                      const NsWindow *where,
                                      const gboolean *wanted,
                                      GError        **error);
  /* @grads: n_outputs tensors shaped like the outputs, data NULL where the
   * loss does not depend on that output.  Overwrites @input_grad
   * (3 x H x W). */
  gboolean       (*backward)         (NsNetwork      *net,
                                      NsActivations  *acts,
                                      const NsTensor *grads,
                                      float          *input_grad,
                                      GError        **error);
  void           (*activations_free) (NsActivations  *acts);
  void           (*free)             (NsNetwork      *net);
  /* A 1-channel map (a region's weights) halved as the network halves its
   * features between outputs a stride apart: on the same grid, so that
   * the map and an output's positions match.  New image. */
  NsImage       *(*halve_map)        (NsNetwork      *net,
                                      const NsImage  *map,
                                      GError        **error);
} NsNetworkClass;

struct _NsNetwork
{
  const NsNetworkClass *klass;
  const char           *name;
  int                   n_outputs;
  const char *const    *output_names;
  /* The classic choice of layers for this network. */
  int                   n_style_outputs;
  const int            *style_outputs;
  int                   content_output;
  /* Inputs smaller than this (either side) are refused by forward. */
  int                   min_input_size;
  /* For evaluation over tiles (ns-tiles.h), per output: input pixels per
   * output position, and how far (input pixels) from a position the input
   * it depends on can be.  Tiles start at multiples of @alignment, so that
   * every output's grid is the whole image's. */
  const int            *output_strides;
  const int            *output_radii;
  int                   alignment;
  const int            *output_channels;
  /* TRUE when each output can be computed (and back-propagated) on its
   * own at little more than its own cost: the built-in levels, which
   * share only the 3-channel pyramid.  VGG19's outputs need every layer
   * before them: FALSE. */
  gboolean              outputs_independent;
  /* Peak bytes of one evaluation (forward, losses, backward) per input
   * pixel, measured; a memory budget divides by it. */
  double                eval_bytes_per_pixel;
};

/* The part of every activations subtype that callers may read. */
struct _NsActivations
{
  NsNetwork *net;
  int        width;          /* of the input */
  int        height;
  NsTensor  *outputs;        /* n_outputs; data NULL where not computed
                                (every wanted one is) */
};

NsActivations *ns_network_forward  (NsNetwork *net, const NsImage *input,
                                    const gboolean *wanted, GError **error);
/* The same for @input cut from a larger image at @where. */
NsActivations *ns_network_forward_window (NsNetwork *net, const NsImage *input,
                                          const NsWindow *where, const gboolean *wanted,
                                          GError **error);
gboolean       ns_network_backward (NsNetwork *net, NsActivations *acts,
                                    const NsTensor *grads, float *input_grad,
                                    GError **error);
void           ns_activations_free (NsActivations *acts);
void           ns_network_free     (NsNetwork *net);
int            ns_network_find_output (NsNetwork *net, const char *name);
/* @map (1 x H x W, at the input's size) on @output's grid: halved once per
 * factor 2 of the output's stride.  A new image. */
NsImage       *ns_network_map_at_output (NsNetwork *net, const NsImage *map,
                                         int output, GError **error);

gsize          ns_tensor_size      (const NsTensor *t);

G_END_DECLS
