/* ns-blas-env.c: the OPENBLAS_CORETYPE re-execution. */
#include "ns-blas-env.h"

#include <cblas.h>
#include <stdlib.h>
#include <unistd.h>

static gboolean
cpu_has_avx512 (void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw") &&
         __builtin_cpu_supports ("avx512dq") && __builtin_cpu_supports ("avx512vl");
#else
  return FALSE;
#endif
}

static gboolean
core_uses_avx512 (const char *core)
{
  static const char *const avx512_cores[] = { "skylakex", "cooperlake", "sapphirerapids", NULL };

  for (int i = 0; avx512_cores[i] != NULL; i++)
    if (g_ascii_strcasecmp (core, avx512_cores[i]) == 0)
      return TRUE;
  return FALSE;
}

void
ns_blas_prefer_avx512 (char **argv)
{
  const char *core;

  if (g_getenv ("OPENBLAS_CORETYPE") != NULL)
    return;                     /* the user's choice, or ours already */
  if (!cpu_has_avx512 ())
    return;
  core = g_getenv ("NS_BLAS_ASSUME_CORE");
  if (core == NULL)
    core = openblas_get_corename ();
  if (core == NULL || core_uses_avx512 (core))
    return;
  g_setenv ("OPENBLAS_CORETYPE", "SKYLAKEX", TRUE);
  g_unsetenv ("NS_BLAS_ASSUME_CORE");
  execv ("/proc/self/exe", argv);
  g_unsetenv ("OPENBLAS_CORETYPE");   /* exec failed: carry on as we are */
}
