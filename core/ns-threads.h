/* ns-threads.h: how many threads the core's maths may use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Caps the core's own loops at @n threads (OpenBLAS runs single-threaded
 * inside them); n < 1 means one per processor.  Call before a run, not
 * during one. */
void ns_set_num_threads (int n);
int  ns_get_num_threads (void);

G_END_DECLS

G_BEGIN_DECLS

/* Runs func (task, n_tasks, data) for task = 0 .. n_tasks - 1 on up to
 * ns_get_num_threads () threads (the caller's among them) and returns when
 * all are done.  Task t always runs on thread t % threads, so work split by
 * task is deterministic for a given thread count.  A loop started inside
 * a task of a loop on several threads runs on its caller's thread alone
 * (ns_get_num_threads () is 1 there). */
typedef void (*NsTaskFunc) (int task, int n_tasks, gpointer data);

void ns_parallel_for (int n_tasks, NsTaskFunc func, gpointer data);

/* Tasks for a BLAS product split by @columns (pixel positions): one a
 * thread, each at least 256 columns; fewer, and OpenBLAS's packing
 * outweighs the product. */
int ns_column_tasks (gsize columns);

/* Task @task's share [*begin, *end) of @n items split evenly over
 * @n_tasks tasks, in order. */
static inline void
ns_task_share (int task, int n_tasks, int n, int *begin, int *end)
{
  *begin = (int) ((gint64) n * task / n_tasks);
  *end = (int) ((gint64) n * (task + 1) / n_tasks);
}

G_END_DECLS
