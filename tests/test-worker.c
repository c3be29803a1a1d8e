/* test-worker.c: NsWorker runs work on its thread, ticks the main loop
 * while it runs, calls done once, passes results and errors, cancels;
 * ns_parallel_for runs a loop inside one of its tasks on that task's
 * thread alone. */
#include <string.h>

#include "ns-error.h"
#include "ns-threads.h"
#include "ns-worker.h"

typedef struct
{
  GMainLoop *loop;
  int        ticks;
  int        dones;
  gint       may_finish;    /* the work waits for this or for cancel */
} Watch;

static gboolean
wait_then_succeed (gpointer data, const gint *cancel, GError **error)
{
  Watch *w = data;

  while (!g_atomic_int_get (&w->may_finish))
    {
      if (g_atomic_int_get (cancel))
        {
          g_set_error_literal (error, NS_ERROR, NS_ERROR_CANCELLED, "cancelled");
          return FALSE;
        }
      g_usleep (1000);
    }
  return TRUE;
}

static void
on_tick (gpointer data)
{
  Watch *w = data;

  /* The work ends only after the watch has ticked a few times. */
  if (++w->ticks == 3)
    g_atomic_int_set (&w->may_finish, 1);
}

static void
on_done (gpointer data)
{
  Watch *w = data;

  w->dones++;
  g_main_loop_quit (w->loop);
}

static void
test_ticks_then_done (void)
{
  Watch     w = { g_main_loop_new (NULL, FALSE), 0, 0, 0 };
  NsWorker *worker = ns_worker_new ();
  GError   *error = NULL;

  ns_worker_start (worker, "test", wait_then_succeed, &w);
  g_assert_true (ns_worker_is_running (worker));
  ns_worker_watch (worker, 5, on_tick, on_done, &w);
  g_main_loop_run (w.loop);
  g_assert_cmpint (w.ticks, >=, 3);
  g_assert_cmpint (w.dones, ==, 1);
  g_assert_false (ns_worker_is_running (worker));
  g_assert_true (ns_worker_join (worker, &error));
  g_assert_no_error (error);

  /* Started again, it runs again. */
  w.ticks = w.dones = 0;
  g_atomic_int_set (&w.may_finish, 0);
  ns_worker_start (worker, "test", wait_then_succeed, &w);
  ns_worker_watch (worker, 5, on_tick, on_done, &w);
  g_main_loop_run (w.loop);
  g_assert_cmpint (w.dones, ==, 1);
  g_assert_true (ns_worker_join (worker, NULL));
  ns_worker_free (worker);
  g_main_loop_unref (w.loop);
}

static void
test_cancel_passes_error (void)
{
  Watch     w = { NULL, 0, 0, 0 };
  NsWorker *worker = ns_worker_new ();
  GError   *error = NULL;

  ns_worker_start (worker, "test", wait_then_succeed, &w);
  ns_worker_cancel (worker);
  g_assert_false (ns_worker_join (worker, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_CANCELLED);
  g_clear_error (&error);
  ns_worker_free (worker);
}

/* Freeing running work cancels and joins it; the watch never fires. */
static void
test_free_running (void)
{
  Watch         w = { NULL, 0, 0, 0 };
  NsWorker     *worker = ns_worker_new ();
  GMainContext *context = g_main_context_default ();

  ns_worker_start (worker, "test", wait_then_succeed, &w);
  ns_worker_watch (worker, 1, on_tick, on_done, &w);
  ns_worker_free (worker);
  g_usleep (5000);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpint (w.ticks, ==, 0);
  g_assert_cmpint (w.dones, ==, 0);
}

/* ------------------------------------------------------- nested loops */

typedef struct
{
  int      outer_threads[8];     /* ns_get_num_threads () in outer task t */
  GThread *outer_thread[8];
  gboolean inner_elsewhere[8];   /* an inner task ran on another thread */
} Nesting;

static void
inner_task (int task, int n_tasks, gpointer data)
{
  GThread **outer = data;

  (void) task;
  (void) n_tasks;
  if (g_thread_self () != outer[0])
    outer[1] = g_thread_self ();        /* marks a foreign thread */
}

static void
outer_task (int task, int n_tasks, gpointer data)
{
  Nesting *n = data;
  GThread *threads[2] = { g_thread_self (), NULL };

  (void) n_tasks;
  n->outer_threads[task] = ns_get_num_threads ();
  n->outer_thread[task] = g_thread_self ();
  ns_parallel_for (8, inner_task, threads);
  n->inner_elsewhere[task] = threads[1] != NULL;
}

static void
test_nested_loop_on_one_thread (void)
{
  Nesting n;

  memset (&n, 0, sizeof n);

  ns_set_num_threads (2);
  ns_parallel_for (2, outer_task, &n);
  /* Two outer tasks on two threads: each runs its inner loop alone. */
  g_assert_true (n.outer_thread[0] != n.outer_thread[1]);
  for (int t = 0; t < 2; t++)
    {
      g_assert_cmpint (n.outer_threads[t], ==, 1);
      g_assert_false (n.inner_elsewhere[t]);
    }
  g_assert_cmpint (ns_get_num_threads (), ==, 2);

  /* One outer task: the inner loop has the threads. */
  memset (&n, 0, sizeof n);
  ns_parallel_for (1, outer_task, &n);
  g_assert_cmpint (n.outer_threads[0], ==, 2);
  g_assert_true (n.inner_elsewhere[0]);
  ns_set_num_threads (0);
}

/* Loops from four threads at once, 300 each: one finds the kept threads
 * free, the others start their own; every task runs exactly once. */
#define LOOP_TASKS 37

static void
count_task (int task, int n_tasks, gpointer data)
{
  gint *runs = data;

  g_assert_cmpint (n_tasks, ==, LOOP_TASKS);
  g_atomic_int_inc (&runs[task]);
}

static gpointer
many_loops (gpointer data)
{
  gboolean *ok = data;

  for (int loop = 0; loop < 300; loop++)
    {
      gint runs[LOOP_TASKS] = { 0 };

      ns_parallel_for (LOOP_TASKS, count_task, runs);
      for (int t = 0; t < LOOP_TASKS; t++)
        if (g_atomic_int_get (&runs[t]) != 1)
          *ok = FALSE;
    }
  return NULL;
}

static void
test_concurrent_loops (void)
{
  GThread *threads[4];
  gboolean ok[4] = { TRUE, TRUE, TRUE, TRUE };
  GThread *seen[2] = { g_thread_self (), NULL };

  ns_set_num_threads (3);
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("loops", many_loops, &ok[i]);
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (ok[i]);
    }
  /* And the kept threads still answer afterwards. */
  ns_parallel_for (8, inner_task, seen);
  g_assert_nonnull (seen[1]);
  ns_set_num_threads (0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/threads/nested-loop-on-one-thread", test_nested_loop_on_one_thread);
  g_test_add_func ("/threads/concurrent-loops", test_concurrent_loops);
  g_test_add_func ("/worker/ticks-then-done", test_ticks_then_done);
  g_test_add_func ("/worker/cancel-passes-error", test_cancel_passes_error);
  g_test_add_func ("/worker/free-running", test_free_running);
  return g_test_run ();
}
