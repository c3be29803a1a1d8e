/* ns-preserve-colors.c: luminance-only transfer.
 *
 * With Y = .299 R + .587 G + .114 B the offsets (R - Y, G - Y, B - Y) are a
 * chroma whose own luma is 0, so Y_result + chroma_content has exactly the
 * result's luminance and the content's colour.
 */
#include "ns-preserve-colors.h"

static inline float
luma (float r, float g, float b)
{
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

void
ns_preserve_colors (NsImage *result, const NsImage *content, double amount)
{
  gsize n = (gsize) result->width * result->height;
  float a = (float) CLAMP (amount, 0.0, 1.0);

  g_return_if_fail (result->width == content->width &&
                    result->height == content->height);
  if (a <= 0.0f)
    return;
  for (gsize i = 0; i < n; i++)
    {
      float *r = result->data;
      const float *c = content->data;
      float  yr = luma (r[i], r[n + i], r[2 * n + i]);
      float  yc = luma (c[i], c[n + i], c[2 * n + i]);

      for (int ch = 0; ch < 3; ch++)
        {
          float v = r[ch * n + i];
          float mixed = yr + (1.0f - a) * (v - yr) + a * (c[ch * n + i] - yc);

          r[ch * n + i] = CLAMP (mixed, 0.0f, 1.0f);
        }
    }
}
