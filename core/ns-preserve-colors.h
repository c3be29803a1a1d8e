/* ns-preserve-colors.h: keeping the content's colours. */
#pragma once

#include "ns-image.h"

G_BEGIN_DECLS

/* Mixes the content's chroma into @result (both 3 x H x W, same size):
 * amount 0 leaves it, 1 keeps only its luminance (BT.601 luma of the
 * sRGB-encoded values) with the content's chroma.  Clamps to [0, 1]. */
void ns_preserve_colors (NsImage *result, const NsImage *content,
                          double amount);

G_END_DECLS
