/* ns-threads.c: the thread budget shared by OpenBLAS and the core. */
#include "ns-threads.h"

#include <cblas.h>

static int num_threads = 0;

void
ns_set_num_threads (int n)
{
  num_threads = n >= 1 ? n : (int) g_get_num_processors ();
  openblas_set_num_threads (num_threads);
}

int
ns_get_num_threads (void)
{
  return num_threads >= 1 ? num_threads : (int) g_get_num_processors ();
}
