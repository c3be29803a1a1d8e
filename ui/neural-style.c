/* neural-style.c: the GIMP plug-in: procedure registration and the run.
 *
 * The composition root: interactive runs go to the dialog (ui/), batch runs
 * straight to ns-stylise (plug-in/), which reads the content and styles on
 * the main thread, stylises on a worker thread and only then adds the
 * result as a new layer: the image is untouched until the result exists.
 */
#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ns-blas-env.h"
#include "ns-dialog.h"
#include "ns-i18n.h"
#include "ns-install.h"
#include "ns-settings.h"
#include "ns-stylise.h"

typedef struct
{
  GimpPlugIn parent_instance;
} NsPlugIn;

typedef struct
{
  GimpPlugInClass parent_class;
} NsPlugInClass;

#define NS_TYPE_PLUG_IN (ns_plug_in_get_type ())
GType ns_plug_in_get_type (void);
G_DEFINE_TYPE (NsPlugIn, ns_plug_in, GIMP_TYPE_PLUG_IN)

static GimpValueArray *
ns_run (GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
        GimpDrawable **drawables, GimpProcedureConfig *config, gpointer data)
{
  NsSettings      settings = { 0 };
  GimpValueArray *values;
  GimpLayer      *layer;
  GError         *error = NULL;

  (void) data;
  gegl_init (NULL, NULL);
  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      if (ns_dialog_run (procedure, config, image, drawables, &layer) != GIMP_PDB_SUCCESS)
        return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);
    }
  else
    {
      layer = ns_settings_from_config (&settings, config, &error)
              ? ns_stylise_run (image, drawables, &settings, &error) : NULL;
      ns_settings_clear (&settings);
      if (layer == NULL)
        return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);
    }

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  GIMP_VALUES_SET_LAYER (values, 1, layer);
  return values;
}

/* ------------------------------------------------------ registration */

static GList *
ns_query_procedures (GimpPlugIn *plug_in)
{
  (void) plug_in;
  return g_list_append (g_list_append (NULL, g_strdup (NS_PROCEDURE_NAME)),
                        g_strdup (NS_INSTALL_PROCEDURE_NAME));
}

static GimpProcedure *
ns_create_procedure (GimpPlugIn *plug_in, const gchar *name)
{
  GimpProcedure *procedure;

  if (g_strcmp0 (name, NS_INSTALL_PROCEDURE_NAME) == 0)
    return ns_install_procedure_new (plug_in);
  if (g_strcmp0 (name, NS_PROCEDURE_NAME) != 0)
    return NULL;
  procedure = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                        ns_run, NULL, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  gimp_procedure_set_menu_label (procedure, _("Neural _Style…"));
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Artistic");
  gimp_procedure_set_documentation (procedure,
    _("Repaint the layer in the style of another picture"),
    _("Gatys-style neural style transfer computed on this computer: the "
      "result keeps the layer's content and takes the textures, strokes and "
      "colours of the style image, and is added as a new layer."),
    name);
  gimp_procedure_set_attribution (procedure, "Neural Style developers",
                                  "Neural Style developers", "2026");
  ns_settings_add_arguments (procedure);
  return procedure;
}

static void
ns_plug_in_class_init (NsPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = ns_query_procedures;
  plug_in_class->create_procedure = ns_create_procedure;
}

static void
ns_plug_in_init (NsPlugIn *plug_in)
{
  (void) plug_in;
}

/* GIMP_MAIN, with OpenBLAS's kernels chosen before anything else runs. */
int
main (int argc, char *argv[])
{
  ns_blas_prefer_avx512 (argv);
  return gimp_main (NS_TYPE_PLUG_IN, argc, argv);
}
