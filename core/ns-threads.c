/* ns-threads.c: the thread budget shared by OpenBLAS and the core. */
#include "ns-threads.h"

#include <cblas.h>

static int num_threads = 0;

/* Set on the threads of a parallel loop while they run its tasks: a loop
 * inside one of them runs on its own thread alone, as the outer loop
 * already has the cores (threads across tiles, say, each tile single). */
static GPrivate in_parallel_loop = G_PRIVATE_INIT (NULL);

/* The core splits BLAS calls over its own threads; OpenBLAS's own would
 * spin between calls and take the cores the convolutions need, so it runs
 * single-threaded inside each of ours, unless a caller sets it to more for
 * one large product and back to one after it. */
static void
init_blas_threads (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      openblas_set_num_threads (1);
      g_once_init_leave (&done, 1);
    }
}

void
ns_set_num_threads (int n)
{
  init_blas_threads ();
  num_threads = n >= 1 ? n : (int) g_get_num_processors ();
}

int
ns_get_num_threads (void)
{
  init_blas_threads ();
  if (g_private_get (&in_parallel_loop) != NULL)
    return 1;
  return num_threads >= 1 ? num_threads : (int) g_get_num_processors ();
}

typedef struct
{
  NsTaskFunc func;
  gpointer   data;
  int        first;
  int        stride;
  int        n_tasks;
} Worker;

static gpointer
run_worker (gpointer data)
{
  Worker  *w = data;
  gpointer was = g_private_get (&in_parallel_loop);

  if (w->stride > 1)
    g_private_set (&in_parallel_loop, GINT_TO_POINTER (1));
  for (int t = w->first; t < w->n_tasks; t += w->stride)
    w->func (t, w->n_tasks, w->data);
  g_private_set (&in_parallel_loop, was);
  return NULL;
}

/* Threads that stay for the next loop: an evaluation runs some thirty
 * loops, and starting and joining a thread for each cost a third of a
 * small evaluation.  One loop at a time uses them; a loop that finds them
 * busy (another thread's, at the same time) starts threads of its own. */
#define MAX_HELPERS 63

typedef struct
{
  GMutex   lock;
  GCond    start;               /* a new job (generation moved on) */
  GCond    done;                /* pending reached 0 */
  guint    generation;
  Worker   job;                 /* first and stride set per helper */
  int      n_threads;           /* of this job, the caller included */
  int      pending;             /* helpers still running this job */
  int      n_helpers;
  guint    created_at[MAX_HELPERS + 1];   /* generation when each started */
  gint     busy;
} Helpers;

static Helpers helpers;

static gpointer
helper_main (gpointer data)
{
  int   index = GPOINTER_TO_INT (data);      /* 1 .. MAX_HELPERS */
  guint seen;

  g_mutex_lock (&helpers.lock);
  seen = helpers.created_at[index];   /* a job may come before this runs */
  for (;;)
    {
      Worker mine;

      while (helpers.generation == seen)
        g_cond_wait (&helpers.start, &helpers.lock);
      seen = helpers.generation;
      if (index >= helpers.n_threads)
        continue;
      mine = helpers.job;
      mine.first = index;
      g_mutex_unlock (&helpers.lock);
      run_worker (&mine);
      g_mutex_lock (&helpers.lock);
      if (--helpers.pending == 0)
        g_cond_signal (&helpers.done);
    }
  return NULL;
}

/* At least @wanted helpers, as far as threads can be had; how many. */
static int
enough_helpers (int wanted)
{
  GThread *thread;

  g_mutex_lock (&helpers.lock);
  while (helpers.n_helpers < MIN (wanted, MAX_HELPERS))
    {
      helpers.created_at[helpers.n_helpers + 1] = helpers.generation;
      thread = g_thread_try_new ("ns-helper", helper_main,
                                 GINT_TO_POINTER (helpers.n_helpers + 1), NULL);
      if (thread == NULL)
        break;
      g_thread_unref (thread);            /* it never ends */
      helpers.n_helpers++;
    }
  g_mutex_unlock (&helpers.lock);
  return helpers.n_helpers;
}

/* The loop on a thread each, started and joined for it. */
static void
parallel_for_spawned (int n_threads, const Worker *job)
{
  GThread *threads[MAX_HELPERS + 1];
  Worker   workers[MAX_HELPERS + 1];

  for (int i = 0; i < n_threads; i++)
    {
      workers[i] = *job;
      workers[i].first = i;
    }
  for (int i = 1; i < n_threads; i++)
    threads[i] = g_thread_try_new ("ns-worker", run_worker, &workers[i], NULL);
  run_worker (&workers[0]);
  for (int i = 1; i < n_threads; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
    else
      run_worker (&workers[i]);    /* no thread to be had: do it here */
}

void
ns_parallel_for (int n_tasks, NsTaskFunc func, gpointer data)
{
  int    n_threads = CLAMP (MIN (ns_get_num_threads (), n_tasks), 1, MAX_HELPERS + 1);
  Worker job = { func, data, 0, n_threads, n_tasks };

  if (n_threads == 1)
    {
      run_worker (&job);
      return;
    }
  if (!g_atomic_int_compare_and_exchange (&helpers.busy, 0, 1))
    {
      parallel_for_spawned (n_threads, &job);
      return;
    }
  n_threads = MIN (n_threads, enough_helpers (n_threads - 1) + 1);
  job.stride = n_threads;
  g_mutex_lock (&helpers.lock);
  helpers.job = job;
  helpers.n_threads = n_threads;
  helpers.pending = n_threads - 1;
  helpers.generation++;
  g_cond_broadcast (&helpers.start);
  g_mutex_unlock (&helpers.lock);
  run_worker (&job);
  g_mutex_lock (&helpers.lock);
  while (helpers.pending > 0)
    g_cond_wait (&helpers.done, &helpers.lock);
  g_mutex_unlock (&helpers.lock);
  g_atomic_int_set (&helpers.busy, 0);
}

int
ns_column_tasks (gsize columns)
{
  return (int) CLAMP (columns / 256, 1, (gsize) ns_get_num_threads ());
}
