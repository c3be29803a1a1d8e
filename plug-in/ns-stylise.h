/* ns-stylise.h: one stylisation of a layer, from its pixels to a new layer.
 *
 * prepare reads everything from GIMP (content within the selection's bounds,
 * styles, network) and makes the job; the job then runs on its worker thread
 * while the caller's main loop watches it; write_layer adds a result as a new
 * layer.  The image is untouched until write_layer.  All of it on the main
 * thread, as every libgimp call must be.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-estimate.h"
#include "ns-job.h"
#include "ns-settings.h"

G_BEGIN_DECLS

typedef struct _NsStylise NsStylise;

/* NULL with a translated @error when the target or a style cannot be used. */
NsStylise *ns_stylise_prepare     (GimpImage *image, GimpDrawable **drawables,
                                   const NsSettings *settings, GError **error);
NsJob     *ns_stylise_get_job     (NsStylise *st);
/* The index of the network the run uses (for ns_propagate_user_error). */
int        ns_stylise_get_network (NsStylise *st);
/* @result (content-sized, from the job) as a new layer above the source. */
GimpLayer *ns_stylise_write_layer (NsStylise *st, const NsImage *result);
void       ns_stylise_free        (NsStylise *st);

/* Time and memory that a run with @settings on @drawable (within the
 * selection) would take; FALSE when the selection misses the layer. */
gboolean   ns_stylise_estimate    (GimpDrawable *drawable,
                                   const NsSettings *settings,
                                   const NsCalibration *calibration,
                                   NsEstimate *estimate);

/* prepare, run with GIMP's progress bar following, write: the batch path. */
GimpLayer *ns_stylise_run         (GimpImage *image, GimpDrawable **drawables,
                                   const NsSettings *settings, GError **error);

G_END_DECLS
