/* neural-style-model: installs the VGG19 weights from the command line.
 *
 *   neural-style-model install --default [--quick]
 *   neural-style-model install [--quick] [--sha256 HEX] FILE|URL
 *   neural-style-model default     the default download: address, checksum
 *   neural-style-model path        where the weights are kept
 *   neural-style-model status      "installed" or "not installed"
 */
#include <stdio.h>
#include <string.h>

#include "ns-download.h"
#include "ns-model-source.h"
#include "ns-model-store.h"

static gboolean  use_default = FALSE;
static gboolean  quick = FALSE;
static char     *sha256 = NULL;

static const GOptionEntry install_options[] = {
  { "default", 0, 0, G_OPTION_ARG_NONE, &use_default,
    "Download the default: timm's vgg19.tv_in1k (about 575 MB, BSD-3-Clause)", NULL },
  { "quick", 0, 0, G_OPTION_ARG_NONE, &quick,
    "Fetch only the convolution tensors (about 80 MB) by HTTP ranges, checked for shapes "
    "and finite values; without it the complete file is fetched, checked against its "
    "SHA-256 and stripped to those tensors", NULL },
  { "sha256", 0, 0, G_OPTION_ARG_STRING, &sha256,
    "The complete file's SHA-256 (hex), checked by a complete download", "HEX" },
  G_OPTION_ENTRY_NULL
};

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

static int
fail (GError *error)
{
  fprintf (stderr, "neural-style-model: %s\n", error->message);
  g_error_free (error);
  return 1;
}

/* install's arguments after the word "install". */
static int
install (int argc, char **argv)
{
  GOptionContext      *context = g_option_context_new ("FILE|URL");
  const NsModelSource *source = ns_model_source_default (NS_MODEL_VGG19);
  GError              *error = NULL;
  g_autofree char     *installed = NULL;
  const char          *from;
  gboolean             ok;

  g_option_context_set_summary (context, "Validate the VGG19 weights and install them.");
  g_option_context_add_main_entries (context, install_options, NULL);
  ok = g_option_context_parse (context, &argc, &argv, &error);
  g_option_context_free (context);
  if (!ok)
    return fail (error);
  if (use_default == (argc == 2))
    {
      fprintf (stderr, "neural-style-model: give FILE or URL, or --default\n");
      return 2;
    }
  from = use_default ? source->url : argv[1];
  if (use_default && sha256 == NULL)
    sha256 = g_strdup (source->sha256);
  if (use_default)
    fprintf (stderr, "%s\n%s\n", source->origin, from);
  if (g_str_has_prefix (from, "http://") || g_str_has_prefix (from, "https://"))
    ok = ns_model_download (NS_MODEL_VGG19, from, quick ? NS_DOWNLOAD_QUICK : NS_DOWNLOAD_FULL,
                            sha256, on_progress, NULL, NULL, &error);
  else
    ok = ns_model_install_file (NS_MODEL_VGG19, from, on_progress, NULL, &error);
  fprintf (stderr, "\n");
  if (!ok)
    return fail (error);
  installed = ns_model_path (NS_MODEL_VGG19);
  printf ("installed %s\n", installed);
  return 0;
}

int
main (int argc, char **argv)
{
  const NsModelSource *source = ns_model_source_default (NS_MODEL_VGG19);
  char                *path = ns_model_path (NS_MODEL_VGG19);
  int                  status = 0;

  if (argc >= 2 && strcmp (argv[1], "install") == 0)
    status = install (argc - 1, argv + 1);
  else if (argc == 2 && strcmp (argv[1], "path") == 0)
    printf ("%s\n", path);
  else if (argc == 2 && strcmp (argv[1], "status") == 0)
    printf ("%s\n", ns_model_is_installed (NS_MODEL_VGG19) ? "installed" : "not installed");
  else if (argc == 2 && strcmp (argv[1], "default") == 0)
    printf ("origin %s\nurl %s\nsha256 %s\nsize_mb %d\nkept_mb %d\nlicence %s\n",
            source->origin, source->url, source->sha256, source->size_mb, source->kept_mb,
            source->licence);
  else
    {
      fprintf (stderr, "usage: neural-style-model install --default [--quick]\n"
                       "       neural-style-model install [--quick] [--sha256 HEX] FILE|URL\n"
                       "       neural-style-model default | path | status\n");
      status = 2;
    }
  g_free (path);
  g_free (sha256);
  return status;
}
