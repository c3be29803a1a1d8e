/* neural-style-model: installs the VGG19 weights from the command line.
 *
 *   neural-style-model install FILE|URL   validate and install the weights
 *   neural-style-model path               where the weights are kept
 *   neural-style-model status             "installed" or "not installed"
 */
#include <stdio.h>
#include <string.h>

#include "ns-download.h"
#include "ns-model-store.h"

static void
on_progress (guint64 done, guint64 total, gpointer data)
{
  static gint64 last = 0;
  gint64        now = g_get_monotonic_time ();

  (void) data;
  if (now - last < 500000 && done != total)
    return;
  last = now;
  if (total > 0)
    fprintf (stderr, "\r%.1f of %.1f MB", done / 1e6, total / 1e6);
  else
    fprintf (stderr, "\r%.1f MB", done / 1e6);
}

int
main (int argc, char **argv)
{
  GError  *error = NULL;
  char    *path = ns_model_path (NS_MODEL_VGG19);
  gboolean ok;

  if (argc == 2 && strcmp (argv[1], "path") == 0)
    printf ("%s\n", path);
  else if (argc == 2 && strcmp (argv[1], "status") == 0)
    printf ("%s\n", ns_model_is_installed (NS_MODEL_VGG19) ? "installed" : "not installed");
  else if (argc == 3 && strcmp (argv[1], "install") == 0)
    {
      if (g_str_has_prefix (argv[2], "http://") || g_str_has_prefix (argv[2], "https://"))
        ok = ns_model_download (NS_MODEL_VGG19, argv[2], on_progress, NULL, NULL, &error);
      else
        ok = ns_model_install_file (NS_MODEL_VGG19, argv[2], on_progress, NULL, &error);
      fprintf (stderr, "\n");
      if (!ok)
        {
          fprintf (stderr, "neural-style-model: %s\n", error->message);
          g_error_free (error);
          g_free (path);
          return 1;
        }
      printf ("installed %s\n", path);
    }
  else
    {
      fprintf (stderr, "usage: neural-style-model install FILE|URL | path | status\n");
      g_free (path);
      return 2;
    }
  g_free (path);
  return 0;
}
