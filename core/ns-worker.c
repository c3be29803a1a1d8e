/* ns-worker.c: a joinable worker thread with a main-loop watch. */
#include "ns-worker.h"

struct _NsWorker
{
  GThread     *thread;
  NsWorkFunc   func;
  gpointer     data;
  gint         cancel;
  gint         running;
  gboolean     ok;           /* written by the worker before running drops */
  GError      *error;
  guint        watch_id;
  NsWatchFunc  tick;
  NsWatchFunc  done;
  gpointer     watch_data;
};

NsWorker *
ns_worker_new (void)
{
  return g_new0 (NsWorker, 1);
}

const gint *
ns_worker_cancel_flag (NsWorker *w)
{
  return &w->cancel;
}

static gpointer
run (gpointer data)
{
  NsWorker *w = data;

  w->ok = w->func (w->data, &w->cancel, &w->error);
  g_atomic_int_set (&w->running, 0);
  return NULL;
}

void
ns_worker_start (NsWorker *w, const char *name, NsWorkFunc func, gpointer data)
{
  g_return_if_fail (w->thread == NULL);

  w->func = func;
  w->data = data;
  w->ok = FALSE;
  g_clear_error (&w->error);
  g_atomic_int_set (&w->cancel, 0);
  g_atomic_int_set (&w->running, 1);
  w->thread = g_thread_new (name, run, w);
}

static gboolean
poll (gpointer data)
{
  NsWorker *w = data;

  if (ns_worker_is_running (w))
    {
      if (w->tick != NULL)
        w->tick (w->watch_data);
      return G_SOURCE_CONTINUE;
    }
  w->watch_id = 0;
  if (w->done != NULL)
    w->done (w->watch_data);      /* may join or free the worker */
  return G_SOURCE_REMOVE;
}

void
ns_worker_watch (NsWorker *w, guint interval_ms, NsWatchFunc tick,
                 NsWatchFunc done, gpointer data)
{
  g_clear_handle_id (&w->watch_id, g_source_remove);
  w->tick = tick;
  w->done = done;
  w->watch_data = data;
  w->watch_id = g_timeout_add (interval_ms, poll, w);
}

gboolean
ns_worker_is_running (NsWorker *w)
{
  return g_atomic_int_get (&w->running) != 0;
}

void
ns_worker_cancel (NsWorker *w)
{
  g_atomic_int_set (&w->cancel, 1);
}

gboolean
ns_worker_join (NsWorker *w, GError **error)
{
  g_clear_handle_id (&w->watch_id, g_source_remove);
  if (w->thread == NULL)
    return FALSE;
  g_thread_join (g_steal_pointer (&w->thread));
  if (w->error != NULL)
    g_propagate_error (error, g_steal_pointer (&w->error));
  return w->ok;
}

void
ns_worker_free (NsWorker *w)
{
  if (w == NULL)
    return;
  ns_worker_cancel (w);
  ns_worker_join (w, NULL);
  g_free (w);
}
