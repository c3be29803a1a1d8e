/* ns-worker.h: one function on a thread of its own, watched from the main
 * loop.
 *
 * The main thread keeps every GIMP and GTK call; the worker thread runs
 * the function, which polls a cancel flag the worker owns.  While it runs,
 * a watch calls back on the main loop at a fixed interval (to move a
 * progress bar, show a preview) and once more when it has ended.  Why not
 * GTask: a run must be joinable from the main thread (Cancel waits for the
 * core to let go of the image), and the core polls a plain atomic int, not
 * a GCancellable.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NsWorker NsWorker;

/* Runs on the worker thread; FALSE with @error on failure.  @cancel is
 * raised by ns_worker_cancel. */
typedef gboolean (*NsWorkFunc) (gpointer data, const gint *cancel, GError **error);
/* Runs on the main loop. */
typedef void     (*NsWatchFunc) (gpointer data);

NsWorker   *ns_worker_new          (void);
/* The flag ns_worker_cancel raises, for the work to poll. */
const gint *ns_worker_cancel_flag  (NsWorker *worker);
void        ns_worker_start        (NsWorker *worker, const char *name,
                                    NsWorkFunc func, gpointer data);
/* While the work runs, @tick (may be NULL) every @interval_ms; then @done
 * once, after the work has returned (it is not joined yet). */
void        ns_worker_watch        (NsWorker *worker, guint interval_ms,
                                    NsWatchFunc tick, NsWatchFunc done,
                                    gpointer data);
gboolean    ns_worker_is_running   (NsWorker *worker);
void        ns_worker_cancel       (NsWorker *worker);
/* Waits for the work to end and returns what it returned, with its error.
 * Drops the watch.  A worker may be started again after it. */
gboolean    ns_worker_join         (NsWorker *worker, GError **error);
/* Cancels and joins running work, then frees. */
void        ns_worker_free         (NsWorker *worker);

G_END_DECLS
