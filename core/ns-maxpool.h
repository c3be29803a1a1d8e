/* ns-maxpool.h: a 2 x 2 max pool, stride 2, floor (as torchvision's),
 * and its gradient. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* out (c x h/2 x w/2) = the maximum of each 2 x 2 window of in (c x h x w). */
void ns_maxpool2x2          (const float *in, int c, int h, int w, float *out);

/* din (c x h x w, overwritten) from dout (c x h/2 x w/2) through the pool
 * over in and the ReLU whose output in is: each window's gradient to its
 * maximum, the first of equal ones (row by row, as PyTorch), if that is
 * above zero (else the ReLU stopped it); zeros elsewhere, including an odd
 * last row or column.  VGG pools only ReLU outputs, and the ReLU's own
 * pass would read in again. */
void ns_maxpool2x2_backward (const float *in, const float *dout, int c, int h, int w,
                             float *din);

G_END_DECLS
