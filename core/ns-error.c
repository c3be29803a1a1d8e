/* ns-error.c: the core's error domain and checked allocation. */
#include "ns-error.h"

G_DEFINE_QUARK (ns-error-quark, ns_error)

gpointer
ns_try_alloc0 (gsize n, gsize size, GError **error)
{
  gpointer mem;

  if (size != 0 && n > G_MAXSIZE / size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_NO_MEMORY,
                   "allocation of %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " bytes overflows", n, size);
      return NULL;
    }
  mem = g_try_malloc0 (MAX (n * size, 1));
  if (mem == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_NO_MEMORY,
                 "cannot allocate %" G_GSIZE_FORMAT " bytes", n * size);
  return mem;
}
