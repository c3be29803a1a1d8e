/* ns-job.h: one stylisation run on a worker thread.
 *
 * The main thread owns every libgimp call; the worker owns the core.  They
 * share only the progress the worker publishes (under a lock) and the
 * cancel and stop flags the main thread raises.
 */
#pragma once

#include <glib.h>

#include "ns-transfer.h"
#include "ns-worker.h"

G_BEGIN_DECLS

typedef struct _NsJob NsJob;

/* What the main thread sees of a running job, polled. */
typedef struct
{
  double fraction;
  int    scale;
  int    n_scales;
  int    iteration;
  int    iterations;
} NsJobStatus;

/* Takes ownership of @net, @content and the sources' images, sample masks
 * and region masks (sources that share a region share its mask); copies
 * the array. */
NsJob   *ns_job_new        (NsNetwork *net, NsImage *content,
                            const NsStyleSource *sources, int n_styles,
                            const NsTransferParams *params);
/* Frees @n sources' images and sample masks, each distinct region mask
 * once, and the array. */
void     ns_style_sources_free (NsStyleSource *sources, int n);
/* Before start: publish the current image every @iterations (0: never). */
void     ns_job_set_preview_every (NsJob *job, int iterations);
void     ns_job_start      (NsJob *job);
/* Calls @tick on the main loop every @interval_ms while the job runs, then
 * @done once when it has ended (see ns_worker_watch). */
void     ns_job_watch      (NsJob *job, guint interval_ms, NsWatchFunc tick,
                            NsWatchFunc done, gpointer data);
void     ns_job_get_status (NsJob *job, NsJobStatus *status);
/* The newest image published since the last call (transfer full), a
 * view of the current scale of at most 1024 px a side, or NULL. */
NsImage *ns_job_take_preview (NsJob *job);
void     ns_job_cancel     (NsJob *job);
void     ns_job_stop       (NsJob *job);
/* Joins the worker; returns the result (transfer full) or NULL with @error. */
NsImage *ns_job_finish     (NsJob *job, GError **error);
void     ns_job_free       (NsJob *job);

G_END_DECLS
