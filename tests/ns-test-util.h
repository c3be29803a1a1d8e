/* ns-test-util.h: helpers shared by the core's test suites. */
#pragma once

#include <glib.h>

#include "ns-image.h"
#include "ns-network.h"

/* A deterministic smooth-but-busy test image (no RNG: the PyTorch reference
 * script computes the same formula). */
NsImage *ns_test_pattern_image (int width, int height, double phase);

/* Random uniform values in [lo, hi) from @rand. */
void     ns_test_fill_random   (GRand *rand, float *data, gsize n,
                                double lo, double hi);

/* sqrt (sum (a - b)^2) / sqrt (sum b^2) over n values. */
double   ns_test_relative_error (const double *a, const double *b, gsize n);
/* The same over floats, summed in double. */
double   ns_test_relative_error_f (const float *a, const float *b, gsize n);

/* The built-in network (@weights NULL) or VGG19 from @data_dir/@weights;
 * asserts that the weights load. */
NsNetwork *ns_test_network_open (const char *data_dir, const char *weights);

/* VGG19's output channels, conv by conv. */
extern const int ns_test_vgg19_channels[16];

/* A full-size VGG19 conv stack with He-initialised random weights (80 MB),
 * written as safetensors to a temporary file so that the real loader
 * reads it: its path, for the caller to unlink and free. */
char    *ns_test_write_random_vgg19 (void);
