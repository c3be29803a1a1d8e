/* neural-style.c: the GIMP plug-in: procedure registration and the run.
 *
 * The run reads the content (the selected layer, within the selection's
 * bounds) and the styles on the main thread, stylises on a worker thread
 * while the main loop keeps GIMP's progress bar moving, and only then adds
 * the result as a new layer: the image is untouched until the result exists.
 */
#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "ns-blas-env.h"
#include "ns-i18n.h"
#include "ns-install.h"
#include "ns-job.h"
#include "ns-layer.h"
#include "ns-messages.h"
#include "ns-networks.h"
#include "ns-pixels.h"
#include "ns-settings.h"
#include "ns-threads.h"

#define NS_MAX_STYLES 2

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

/* ------------------------------------------------------------ inputs */

static gboolean
check_target (GimpImage *image, GimpDrawable **drawables, GError **error)
{
  if (gimp_core_object_array_get_length ((GObject **) drawables) != 1)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Neural Style works on one layer at a time: select a single layer."));
  else if (!GIMP_IS_LAYER (drawables[0]) || GIMP_IS_LAYER_MASK (drawables[0]))
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Neural Style works on layers, not on channels or masks."));
  else if (gimp_image_get_base_type (image) == GIMP_INDEXED)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Neural Style does not work on indexed images: convert the "
                   "image to RGB or grayscale first (Image → Mode)."));
  return error == NULL || *error == NULL;
}

/* Loads every style the settings name; returns how many (0 with @error). */
static int
load_styles (const NsSettings *s, NsImage **styles, double *weights,
             char **name, GError **error)
{
  int n = 0;

  if (s->style_file == NULL && s->style_layer == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Neural Style needs a style: give a style image file "
                     "(style-file) or a style layer (style-layer)."));
      return 0;
    }
  if (s->style_file != NULL)
    {
      char *base = g_file_get_basename (s->style_file);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      *name = base;
      if ((styles[n] = ns_style_from_file (s->style_file, error)) == NULL)
        return 0;
      weights[n++] = 1.0;
    }
  if (s->style_layer != NULL)
    {
      if (*name == NULL)
        *name = g_strdup (gimp_item_get_name (GIMP_ITEM (s->style_layer)));
      if ((styles[n] = ns_style_from_drawable (GIMP_DRAWABLE (s->style_layer), error)) == NULL)
        {
          while (n > 0)
            ns_image_free (styles[--n]);
          return 0;
        }
      weights[n++] = 1.0;
    }
  return n;
}

static void
transfer_params_from_settings (const NsSettings *s, NsTransferParams *p)
{
  ns_transfer_params_init (p);
  p->style_weight = s->style_weight;
  p->content_weight = s->content_weight;
  p->tv_weight = s->tv_weight;
  p->preserve_colours = s->preserve_colors;
  p->iterations = s->iterations;
  p->max_size = s->max_size;
  p->seed = s->seed;
}

/* ------------------------------------------------------------ the run */

typedef struct
{
  NsJob     *job;
  GMainLoop *loop;
} RunLoop;

/* Every 200 ms: GIMP's progress bar follows the worker; the loop ends when
 * the worker has. */
static gboolean
poll_job (gpointer data)
{
  RunLoop     *run = data;
  NsJobStatus  st;

  if (!ns_job_is_running (run->job))
    {
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  ns_job_get_status (run->job, &st);
  gimp_progress_update (st.fraction);
  if (st.n_scales > 0)
    gimp_progress_set_text_printf (_("Neural Style: scale %d of %d, iteration %d of %d"),
                                   st.scale + 1, st.n_scales, st.iteration, st.iterations);
  return G_SOURCE_CONTINUE;
}

/* Runs @job to its end while GIMP's progress bar follows it. */
static NsImage *
run_job (NsJob *job, GError **error)
{
  RunLoop  run = { job, g_main_loop_new (NULL, FALSE) };
  NsImage *result;
  GError  *core_error = NULL;

  gimp_progress_init (_("Neural Style"));
  ns_job_start (job);
  g_timeout_add (200, poll_job, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  result = ns_job_finish (job, &core_error);
  gimp_progress_end ();
  if (result == NULL)
    {
      *error = ns_user_error_from_core (core_error);
      g_error_free (core_error);
    }
  return result;
}

static GimpLayer *
stylise (GimpImage *image, GimpDrawable **drawables, const NsSettings *s,
         GError **error)
{
  GimpDrawable     *drawable;
  NsImage          *styles[NS_MAX_STYLES] = { NULL }, *content, *result;
  double            weights[NS_MAX_STYLES];
  char             *style_name = NULL, *layer_name;
  NsPixels          pixels = { 0 };
  NsTransferParams  params;
  NsJob            *job;
  NsNetwork        *net;
  GimpLayer        *layer = NULL;
  GError           *core_error = NULL;
  int               n_styles, x, y, w, h;

  if (!check_target (image, drawables, error))
    return NULL;
  drawable = drawables[0];
  if (!gimp_drawable_mask_intersect (drawable, &x, &y, &w, &h))
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The selection does not touch the layer: there is nothing to stylise."));
      return NULL;
    }
  n_styles = load_styles (s, styles, weights, &style_name, error);
  if (n_styles == 0 || !ns_pixels_read (drawable, x, y, w, h, &pixels, error))
    goto out;
  content = ns_image_new_from_interleaved (pixels.rgba, w, h, 4, &core_error);
  if (content == NULL)
    {
      *error = ns_user_error_from_core (core_error);
      goto out;
    }

  transfer_params_from_settings (s, &params);
  ns_set_num_threads (0);
  net = ns_networks_open (s->network, error);
  if (net == NULL)
    {
      ns_image_free (content);
      goto out;
    }
  job = ns_job_new (net, content, styles, weights, n_styles, &params);
  n_styles = 0;                 /* the job owns the images now */
  result = run_job (job, error);
  ns_job_free (job);
  if (result == NULL)
    goto out;

  ns_image_to_interleaved (result, pixels.rgba, 4);   /* alpha stays */
  ns_image_free (result);
  layer_name = g_strdup_printf (_("Neural Style (%s)"), style_name);
  layer = ns_layer_add_result (image, drawable, &pixels,
                               ns_selection_is_partial (image, drawable, x, y, w, h),
                               layer_name);
  g_free (layer_name);

out:
  for (int i = 0; i < n_styles; i++)
    ns_image_free (styles[i]);
  g_clear_error (&core_error);
  ns_pixels_clear (&pixels);
  g_free (style_name);
  return layer;
}

static gboolean
show_dialog (GimpProcedure *procedure, GimpProcedureConfig *config)
{
  GtkWidget *dialog;
  gboolean   run;

  gimp_ui_init (PLUG_IN_BINARY);
  dialog = gimp_procedure_dialog_new (procedure, config, _("Neural Style"));
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), NULL);
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  return run;
}

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
  if (run_mode == GIMP_RUN_INTERACTIVE && !show_dialog (procedure, config))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);

  ns_settings_from_config (&settings, config);
  layer = stylise (image, drawables, &settings, &error);
  ns_settings_clear (&settings);
  if (layer == NULL)
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);

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
