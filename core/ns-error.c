/* ns-error.c: the core's error domain and checked allocation. */
#include "ns-error.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (ns-error-quark, ns_error)

/* Fault injection: allocations left before one fails (-1: none fails),
 * and allocations made since ns_try_alloc_fail_after was last called. */
static gint fail_countdown = -1;
static gint calls_since_armed;

void
ns_try_alloc_fail_after (int n)
{
  g_atomic_int_set (&calls_since_armed, 0);
  g_atomic_int_set (&fail_countdown, n);
}

int
ns_try_alloc_calls (void)
{
  return g_atomic_int_get (&calls_since_armed);
}

/* TRUE for the one call that the countdown makes fail. */
static gboolean
injected_failure (void)
{
  gint left;

  g_atomic_int_inc (&calls_since_armed);
  do
    {
      left = g_atomic_int_get (&fail_countdown);
      if (left < 0)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange (&fail_countdown, left, left - 1));
  return left == 0;
}

static gpointer
try_alloc (gsize n, gsize size, gboolean zero, GError **error)
{
  gpointer mem;

  if (size != 0 && n > G_MAXSIZE / size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_NO_MEMORY,
                   "allocation of %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " bytes overflows", n, size);
      return NULL;
    }
  /* Cache-line aligned, so that vector loads of whole rows never split
   * lines.  g_free is free (), so callers free it as usual. */
  if (injected_failure () || posix_memalign (&mem, 64, MAX (n * size, 1)) != 0)
    mem = NULL;
  if (mem == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_NO_MEMORY,
                 "cannot allocate %" G_GSIZE_FORMAT " bytes", n * size);
  else if (zero)
    memset (mem, 0, MAX (n * size, 1));
  return mem;
}

gpointer
ns_try_alloc0 (gsize n, gsize size, GError **error)
{
  return try_alloc (n, size, TRUE, error);
}

gpointer
ns_try_alloc (gsize n, gsize size, GError **error)
{
  return try_alloc (n, size, FALSE, error);
}
