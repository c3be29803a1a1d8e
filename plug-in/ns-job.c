/* ns-job.c: ns_transfer on an NsWorker. */
#include "ns-job.h"

#include "ns-worker.h"

struct _NsJob
{
  NsNetwork        *net;
  NsImage          *content;
  NsStyleSource    *sources;        /* their images and regions owned */
  int               n_styles;
  NsTransferParams  params;
  NsWorker         *worker;
  gint              stop;
  GMutex            lock;        /* guards status and preview */
  NsJobStatus       status;
  NsImage          *preview;
  NsImage          *result;
};

NsJob *
ns_job_new (NsNetwork *net, NsImage *content, const NsStyleSource *sources,
            int n_styles, const NsTransferParams *params)
{
  NsJob *job = g_new0 (NsJob, 1);

  job->net = net;
  job->content = content;
  job->n_styles = n_styles;
  job->sources = g_memdup2 (sources, n_styles * sizeof *sources);
  job->worker = ns_worker_new ();
  job->params = *params;
  job->params.cancel = ns_worker_cancel_flag (job->worker);
  job->params.stop = &job->stop;
  g_mutex_init (&job->lock);
  return job;
}

void
ns_style_sources_free (NsStyleSource *sources, int n)
{
  for (int i = 0; sources != NULL && i < n; i++)
    {
      gboolean shared = FALSE;

      /* Sources with one region share its mask. */
      for (int j = 0; j < i; j++)
        shared = shared || sources[j].region == sources[i].region;
      ns_image_free ((NsImage *) sources[i].image);
      ns_image_free ((NsImage *) sources[i].sample);
      if (!shared)
        ns_image_free ((NsImage *) sources[i].region);
    }
  g_free (sources);
}

static void
on_progress (const NsProgress *progress, gpointer data)
{
  NsJob *job = data;

  g_mutex_lock (&job->lock);
  job->status.fraction = progress->fraction;
  job->status.scale = progress->scale;
  job->status.n_scales = progress->n_scales;
  job->status.iteration = progress->iteration;
  job->status.iterations = progress->iterations;
  g_mutex_unlock (&job->lock);
  if (progress->image != NULL)
    {
      /* Copied outside the lock; a failed copy only skips one preview. */
      NsImage *copy = ns_image_copy (progress->image, NULL);

      g_mutex_lock (&job->lock);
      ns_image_free (job->preview);
      job->preview = copy;
      g_mutex_unlock (&job->lock);
    }
}

static gboolean
transfer (gpointer data, const gint *cancel, GError **error)
{
  NsJob *job = data;

  (void) cancel;          /* already in job->params */
  job->result = ns_transfer (job->net, job->content, job->sources,
                             job->n_styles, &job->params, error);
  return job->result != NULL;
}

void
ns_job_set_preview_every (NsJob *job, int iterations)
{
  job->params.progress_image_every = MAX (iterations, 0);
}

NsImage *
ns_job_take_preview (NsJob *job)
{
  NsImage *image;

  g_mutex_lock (&job->lock);
  image = g_steal_pointer (&job->preview);
  g_mutex_unlock (&job->lock);
  return image;
}

void
ns_job_start (NsJob *job)
{
  job->params.progress = on_progress;
  job->params.progress_data = job;
  ns_worker_start (job->worker, "neural-style", transfer, job);
}

void
ns_job_watch (NsJob *job, guint interval_ms, NsWatchFunc tick, NsWatchFunc done,
              gpointer data)
{
  ns_worker_watch (job->worker, interval_ms, tick, done, data);
}

void
ns_job_get_status (NsJob *job, NsJobStatus *status)
{
  g_mutex_lock (&job->lock);
  *status = job->status;
  g_mutex_unlock (&job->lock);
}

void
ns_job_cancel (NsJob *job)
{
  ns_worker_cancel (job->worker);
}

void
ns_job_stop (NsJob *job)
{
  g_atomic_int_set (&job->stop, 1);
}

NsImage *
ns_job_finish (NsJob *job, GError **error)
{
  ns_worker_join (job->worker, error);
  return g_steal_pointer (&job->result);
}

void
ns_job_free (NsJob *job)
{
  if (job == NULL)
    return;
  ns_worker_free (job->worker);      /* cancels and joins a running one */
  ns_image_free (job->result);
  ns_image_free (job->preview);
  ns_style_sources_free (job->sources, job->n_styles);
  ns_image_free (job->content);
  ns_network_free (job->net);
  g_mutex_clear (&job->lock);
  g_free (job);
}
