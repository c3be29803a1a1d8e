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

void
ns_parallel_for (int n_tasks, NsTaskFunc func, gpointer data)
{
  int      n_threads = MIN (ns_get_num_threads (), n_tasks);
  GThread *threads[64];
  Worker   workers[64];

  n_threads = CLAMP (n_threads, 1, (int) G_N_ELEMENTS (threads));
  for (int i = 0; i < n_threads; i++)
    workers[i] = (Worker) { func, data, i, n_threads, n_tasks };
  for (int i = 1; i < n_threads; i++)
    threads[i] = g_thread_try_new ("ns-worker", run_worker, &workers[i], NULL);
  run_worker (&workers[0]);
  for (int i = 1; i < n_threads; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
    else
      run_worker (&workers[i]);    /* no thread to be had: do it here */
}
