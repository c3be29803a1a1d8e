/* ns-install.c: plug-in-neural-style-install-model, a PDB procedure (so
 * Script-Fu can use it) that validates a weights file and installs it into
 * the user's model folder. */
#include "ns-install.h"

#include "ns-download.h"
#include "ns-i18n.h"
#include "ns-messages.h"
#include "ns-model-source.h"
#include "ns-model-store.h"

static void
on_progress (guint64 done, guint64 total, gpointer data)
{
  (void) data;
  if (total > 0)
    gimp_progress_update ((double) done / total);
}

gboolean
ns_install_vgg19 (const char *path, const char *url, NsDownloadMethod method,
                  const char *sha256, NsInstallProgress progress, gpointer data,
                  const gint *cancel, GError **error)
{
  GError   *core_error = NULL;
  gboolean  ok;

  if (path != NULL)
    ok = ns_model_install_file (NS_MODEL_VGG19, path, progress, data, &core_error);
  else
    ok = ns_model_download (NS_MODEL_VGG19, url, method, sha256, progress, data, cancel,
                            &core_error);
  if (!ok)
    ns_propagate_user_error (error, core_error, -1);
  return ok;
}

static GimpValueArray *
run_install (GimpProcedure *procedure, GimpProcedureConfig *config, gpointer data)
{
  const NsModelSource *source = ns_model_source_default (NS_MODEL_VGG19);
  GFile               *file = NULL;
  char                *path, *url = NULL, *sha256 = NULL;
  gboolean             quick = FALSE;
  GError              *error = NULL;

  (void) data;
  g_object_get (config, "file", &file, "url", &url, "sha256", &sha256,
                "quick-download", &quick, NULL);
  path = file ? g_file_get_path (file) : NULL;
  g_clear_object (&file);
  /* Neither a file nor an address: the default download, with its
   * published checksum unless the caller gave one. */
  if (path == NULL && (url == NULL || *url == '\0'))
    {
      g_free (url);
      url = g_strdup (source->url);
      if (sha256 == NULL || *sha256 == '\0')
        {
          g_free (sha256);
          sha256 = g_strdup (source->sha256);
        }
    }
  if (sha256 != NULL && *sha256 != '\0' && !ns_sha256_is_valid (sha256))
    error = g_error_new (GIMP_PLUG_IN_ERROR, 0,
                         _("“%s” is not a SHA-256 checksum: it has 64 hexadecimal digits."),
                         sha256);
  else
    {
      gimp_progress_init (_("Installing the VGG19 network"));
      /* Blocking is fine here: GIMP's own progress bar follows, and its
       * Cancel ends the plug-in, which leaves a partial download to resume
       * later. */
      ns_install_vgg19 (path, url, quick ? NS_DOWNLOAD_QUICK : NS_DOWNLOAD_FULL, sha256,
                        on_progress, NULL, NULL, &error);
      gimp_progress_end ();
    }
  g_free (path);
  g_free (url);
  g_free (sha256);
  return gimp_procedure_new_return_values (procedure,
                                           error ? GIMP_PDB_EXECUTION_ERROR : GIMP_PDB_SUCCESS,
                                           error);
}

GimpProcedure *
ns_install_procedure_new (GimpPlugIn *plug_in)
{
  GimpProcedure *procedure = gimp_procedure_new (plug_in, NS_INSTALL_PROCEDURE_NAME,
                                                 GIMP_PDB_PROC_TYPE_PLUGIN,
                                                 run_install, NULL, NULL);

  gimp_procedure_set_documentation (procedure,
    _("Install the VGG19 network for Neural Style"),
    _("Checks a safetensors file of torchvision's VGG19 weights and installs "
      "its convolution tensors into your model folder; a file that is "
      "damaged or of the wrong shape is refused and nothing is changed.  "
      "With neither a file nor an address it downloads the default, timm's "
      "vgg19.tv_in1k (about 575 MB, BSD-3-Clause).  A complete download is "
      "checked against its SHA-256; the quick one fetches only the "
      "convolution tensors (about 80 MB) where the server allows ranges and "
      "checks their shapes and values.  An interrupted download resumes."),
    NS_INSTALL_PROCEDURE_NAME);
  gimp_procedure_set_attribution (procedure, "Neural Style developers",
                                  "Neural Style developers", "2026");
  gimp_procedure_add_enum_argument (procedure, "run-mode", "Run mode",
                                    "The run mode", GIMP_TYPE_RUN_MODE,
                                    GIMP_RUN_NONINTERACTIVE, G_PARAM_READWRITE);
  gimp_procedure_add_file_argument (procedure, "file", _("Weights _file"),
                                    _("A VGG19 safetensors file"),
                                    GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL,
                                    G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "url", _("Weights _address"),
                                      _("An http(s) address of a VGG19 safetensors file, used when no file is given; empty: the default download"),
                                      NULL, G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "sha256", _("_SHA-256"),
                                      _("The complete file's SHA-256 checksum, checked by a complete download; empty with no address: the default's published one"),
                                      NULL, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "quick-download", _("_Quick download"),
                                       _("Fetch only the convolution tensors (about 80 MB) where the server allows ranges, checked for shapes and finite values, instead of the complete file checked against its SHA-256"),
                                       FALSE, G_PARAM_READWRITE);
  return procedure;
}
