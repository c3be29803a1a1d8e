/* ns-continue.h: what "More iterations" on a result layer runs with.
 *
 * The result's record (ns-result-record.h) names the layer it was made
 * from and the rectangle of it; the run optimises that content again,
 * starting from the result's pixels, at the finest scale only.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-settings.h"

G_BEGIN_DECLS

typedef struct
{
  NsSettings    settings;          /* to run with */
  GimpDrawable *source;            /* the layer the result was made from */
  int           x, y, width, height;   /* the content, on @source */
  int           iterations_done;   /* before this run */
} NsContinuation;

/* From @result's record and the @given arguments: their style sources and
 * settings if they name a style, else the stored ones with @given's
 * iterations and threads.  FALSE with a translated @error when @result is
 * not a result, or its source or style layer is gone, or it was resized. */
gboolean ns_continuation_prepare (GimpImage *image, GimpLayer *result,
                                  const NsSettings *given,
                                  NsContinuation *continuation,
                                  GError **error);
void     ns_continuation_clear   (NsContinuation *continuation);

G_END_DECLS
