/* ns-calibration.h: measuring a network's speed and memory on a worker
 * thread, for the dialog's estimate (see core/ns-estimate.h).
 *
 * Opens the network itself, so the main thread never waits for a model
 * file to load.  Only one calibration or stylisation should run at a time:
 * they share the cores and would spoil each other's figures.
 */
#pragma once

#include "ns-estimate.h"
#include "ns-settings.h"
#include "ns-worker.h"

G_BEGIN_DECLS

typedef struct _NsCalibrator NsCalibrator;

/* Starts measuring @settings' network with its thread count and weights;
 * @done is called on the main loop when the measurement has ended. */
NsCalibrator *ns_calibrator_start   (const NsSettings *settings,
                                     NsWatchFunc done, gpointer data);
int           ns_calibrator_network (NsCalibrator *calibrator);
/* Asks the worker to end soon; ns_calibrator_finish still has to join it. */
void          ns_calibrator_cancel  (NsCalibrator *calibrator);
/* Joins the worker and frees @calibrator.  TRUE with @calibration filled;
 * FALSE with a translated @error (which may be NULL), or with none when
 * cancelled. */
gboolean      ns_calibrator_finish  (NsCalibrator *calibrator,
                                     NsCalibration *calibration,
                                     GError **error);

G_END_DECLS
