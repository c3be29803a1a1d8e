/* ns-dialog.c: the interactive dialog and the runs it starts.
 *
 * One run at a time, on the job's worker thread; its watch calls back on
 * the main loop every POLL_MS to move the progress bar and show the newest
 * preview, and once when it has ended.  The
 * image is touched only when an Apply run has its result (or was stopped
 * with one), from the main thread.
 */
#include "ns-dialog.h"

#include "ns-error.h"
#include "ns-estimate-label.h"
#include "ns-i18n.h"
#include "ns-install-dialog.h"
#include "ns-messages.h"
#include "ns-model-store.h"
#include "ns-networks.h"
#include "ns-result-record.h"
#include "ns-style-list.h"
#include "ns-stylise.h"
#include "ns-thumbnails.h"

#define POLL_MS          100
#define PREVIEW_BOX      320
#define PREVIEW_SIZE     192     /* long side of a Preview run */
#define PREVIEW_ITERS    25      /* its iterations per scale, at most */

typedef enum
{
  RUN_NONE,
  RUN_PREVIEW,
  RUN_APPLY,
  RUN_MORE          /* More iterations of a result layer */
} RunKind;

/* Apply and More iterations end the dialog with a new layer. */
#define WRITES_LAYER(kind) ((kind) == RUN_APPLY || (kind) == RUN_MORE)

typedef struct
{
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable       **drawables;
  GtkWidget           *dialog;
  GtkWidget           *preview;        /* GtkImage */
  GtkWidget           *progress;       /* GtkProgressBar */
  GtkWidget           *status;         /* GtkLabel */
  GtkWidget           *estimate;       /* ns-estimate-label */
  GtkWidget           *preview_button;
  GtkWidget           *stop_button;
  GtkWidget           *more_button;    /* shown on a result layer only */
  GtkWidget           *install_button; /* shown while VGG19 is missing */
  gboolean             more_requested; /* the OK response came from it */
  NsStylise           *stylise;        /* the run, or NULL */
  RunKind              kind;
  gint64               started;        /* monotonic µs */
  GMainLoop           *apply_loop;     /* runs while an Apply run does */
  GimpLayer           *layer;          /* an Apply run's result */
  GError              *error;          /* an Apply run's failure */
} Dialog;

/* ------------------------------------------------------------- display */

static void
set_status (Dialog *d, const char *text)
{
  gtk_label_set_text (GTK_LABEL (d->status), text);
  g_debug ("status: %s", text);     /* for tests and bug reports */
}

static void
show_image (Dialog *d, const NsImage *image)
{
  GdkPixbuf *pixbuf = ns_thumbnail_from_image (image, PREVIEW_BOX);

  gtk_image_set_from_pixbuf (GTK_IMAGE (d->preview), pixbuf);
  g_clear_object (&pixbuf);
}

static void
update_sensitivity (Dialog *d)
{
  gboolean running = d->kind != RUN_NONE;

  gtk_widget_set_sensitive (d->preview_button, !running);
  gtk_widget_set_sensitive (d->stop_button, running);
  gtk_widget_set_sensitive (d->more_button, !running);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK, !running);
}

/* "Scale 2 of 3, iteration 40 of 100 · about 1:20 left" */
static void
show_progress (Dialog *d, const NsJobStatus *st)
{
  double elapsed = (g_get_monotonic_time () - d->started) / 1e6;
  char  *text, *left = NULL;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (d->progress), CLAMP (st->fraction, 0.0, 1.0));
  if (st->n_scales == 0)
    return;
  if (st->fraction > 0.02)
    {
      int seconds = (int) (elapsed * (1.0 - st->fraction) / st->fraction + 0.5);

      left = g_strdup_printf (_("about %d:%02d left"), seconds / 60, seconds % 60);
    }
  text = g_strdup_printf (_("Scale %d of %d, iteration %d of %d"), st->scale + 1,
                          st->n_scales, st->iteration, st->iterations);
  if (left != NULL)
    {
      char *both = g_strconcat (text, " · ", left, NULL);

      g_free (text);
      text = both;
    }
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (d->progress), text);
  g_free (text);
  g_free (left);
}

/* ----------------------------------------------------------------- runs */

/* While a run works: its newest preview and its progress. */
static void
run_tick (gpointer data)
{
  Dialog     *d = data;
  NsJob      *job = ns_stylise_get_job (d->stylise);
  NsImage    *preview = ns_job_take_preview (job);
  NsJobStatus st;

  if (preview != NULL)
    {
      show_image (d, preview);
      ns_image_free (preview);
    }
  ns_job_get_status (job, &st);
  show_progress (d, &st);
}

/* The worker has ended: show (Preview) or write (Apply) its result. */
static void
finish_run (gpointer data)
{
  Dialog  *d = data;
  GError  *core_error = NULL, *user = NULL;
  NsImage *result;
  RunKind  kind = d->kind;

  run_tick (d);                 /* the last progress and preview */
  result = ns_job_finish (ns_stylise_get_job (d->stylise), &core_error);

  if (result != NULL)
    {
      show_image (d, result);
      if (WRITES_LAYER (kind))
        d->layer = ns_stylise_write_layer (d->stylise, result);
      set_status (d, WRITES_LAYER (kind) ? _("Done: the result is a new layer.") : _("Preview ready."));
    }
  else if (g_error_matches (core_error, NS_ERROR, NS_ERROR_CANCELLED))
    set_status (d, _("Cancelled."));
  else
    {
      ns_propagate_user_error (&user, g_steal_pointer (&core_error),
                               ns_stylise_get_network (d->stylise));
      set_status (d, user->message);
      if (WRITES_LAYER (kind))
        d->error = g_steal_pointer (&user);
      g_clear_error (&user);
    }
  g_clear_error (&core_error);
  ns_image_free (result);
  g_clear_pointer (&d->stylise, ns_stylise_free);
  d->kind = RUN_NONE;
  update_sensitivity (d);
  ns_estimate_label_resume (d->estimate);
  if (WRITES_LAYER (kind) && d->apply_loop != NULL)
    g_main_loop_quit (d->apply_loop);
}

/* Starts a run of @kind with the dialog's current settings. */
static gboolean
start_run (Dialog *d, RunKind kind)
{
  NsSettings settings = { 0 };
  GError    *error = NULL;

  if (!ns_settings_from_config (&settings, d->config, &error))
    {
      set_status (d, error->message);
      g_error_free (error);
      ns_settings_clear (&settings);
      return FALSE;
    }
  settings.more_iterations = kind == RUN_MORE;
  if (kind == RUN_PREVIEW)
    {
      NsTransferParams *p = &settings.params;

      p->max_size = p->max_size == 0 ? PREVIEW_SIZE : MIN (p->max_size, PREVIEW_SIZE);
      p->iterations = MIN (p->iterations, PREVIEW_ITERS);
    }
  set_status (d, kind == RUN_PREVIEW ? _("Computing a preview…") : _("Stylising…"));
  ns_estimate_label_pause (d->estimate);      /* the run gets the cores */
  d->stylise = ns_stylise_prepare (d->image, d->drawables, &settings, &error);
  ns_settings_clear (&settings);
  if (d->stylise == NULL)
    {
      set_status (d, error->message);
      g_error_free (error);
      ns_estimate_label_resume (d->estimate);
      return FALSE;
    }
  d->kind = kind;
  d->started = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (d->progress), 0.0);
  ns_job_set_preview_every (ns_stylise_get_job (d->stylise), kind == RUN_PREVIEW ? 5 : 10);
  ns_job_start (ns_stylise_get_job (d->stylise));
  ns_job_watch (ns_stylise_get_job (d->stylise), POLL_MS, run_tick, finish_run, d);
  update_sensitivity (d);
  return TRUE;
}

/* Ends any run without using its result, and waits for its thread. */
static void
cancel_run (Dialog *d)
{
  if (d->stylise == NULL)
    return;
  ns_job_cancel (ns_stylise_get_job (d->stylise));
  g_clear_pointer (&d->stylise, ns_stylise_free);    /* joins the worker, drops the watch */
  d->kind = RUN_NONE;
  update_sensitivity (d);
}

static void
on_preview_clicked (GtkButton *button, Dialog *d)
{
  (void) button;
  if (d->kind == RUN_NONE)
    start_run (d, RUN_PREVIEW);
}

/* Runs like Apply, through the dialog's OK response. */
static void
on_more_clicked (GtkButton *button, Dialog *d)
{
  (void) button;
  if (d->kind == RUN_NONE)
    {
      d->more_requested = TRUE;
      gtk_dialog_response (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK);
    }
}

static void
on_stop_clicked (GtkButton *button, Dialog *d)
{
  (void) button;
  if (d->stylise != NULL)
    {
      ns_job_stop (ns_stylise_get_job (d->stylise));
      set_status (d, _("Stopping: keeping the result so far…"));
    }
}

/* During an Apply run: Cancel or closing the window ends it, nothing written. */
static void
on_response_during_apply (GtkDialog *dialog, gint response, Dialog *d)
{
  (void) dialog;
  if (WRITES_LAYER (d->kind) && response != GTK_RESPONSE_OK)
    {
      cancel_run (d);
      set_status (d, _("Cancelled."));
      if (d->apply_loop != NULL)
        g_main_loop_quit (d->apply_loop);
    }
}

static gboolean
on_delete_event (GtkWidget *widget, GdkEvent *event, Dialog *d)
{
  (void) widget;
  (void) event;
  if (WRITES_LAYER (d->kind))
    {
      on_response_during_apply (GTK_DIALOG (d->dialog), GTK_RESPONSE_DELETE_EVENT, d);
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------- install */

static void
on_install_clicked (GtkButton *button, Dialog *d)
{
  (void) button;
  if (!ns_install_dialog_run (GTK_WINDOW (d->dialog)))
    return;
  gtk_widget_hide (d->install_button);
  set_status (d, _("VGG19 is installed and chosen as the network."));
  ns_estimate_label_refresh (d->estimate);
  g_object_set (d->config, "network", "vgg19", NULL);
}

/* The network choice, with Install… beside it while VGG19 is missing. */
static GtkWidget *
build_network_row (Dialog *d, GimpProcedureDialog *pd)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  d->install_button = gtk_button_new_with_mnemonic (_("Install VGG1_9…"));
  gtk_widget_set_tooltip_text (d->install_button,
                               _("Install the VGG19 network from a weights file or an address"));
  g_signal_connect (d->install_button, "clicked", G_CALLBACK (on_install_clicked), d);
  gtk_box_pack_start (GTK_BOX (row), gimp_procedure_dialog_get_widget (pd, "network", G_TYPE_NONE),
                      TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (row), d->install_button, FALSE, FALSE, 0);
  return row;
}

/* --------------------------------------------------------------- layout */

static GtkWidget *
build_styles_frame (Dialog *d, GimpProcedureDialog *pd)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *frame = gimp_frame_new (_("Style sources and blend weights"));

  gtk_box_pack_start (GTK_BOX (vbox), ns_style_list_new (d->config, d->image), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_scale_entry (pd, "style-scale", 1.0), FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (frame), vbox);
  return frame;
}

static GtkWidget *
build_settings (Dialog *d, GimpProcedureDialog *pd)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  static const char *const choices[] = { "quality" };
  static const char *const spins[] = { "seed", "threads", "memory-budget" };

  gtk_box_pack_start (GTK_BOX (vbox), build_styles_frame (d, pd), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_scale_entry (pd, "style-weight", 1.0), FALSE, FALSE, 0);
  /* 0..1 shown as 0..100 % */
  gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_scale_entry (pd, "preserve-colors", 100.0), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_scale_entry (pd, "tv-weight", 1.0), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_scale_entry (pd, "start-noise", 100.0), FALSE, FALSE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_widget (pd, choices[i], G_TYPE_NONE), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), build_network_row (d, pd), FALSE, FALSE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    gtk_box_pack_start (GTK_BOX (vbox), gimp_procedure_dialog_get_widget (pd, spins[i], G_TYPE_NONE), FALSE, FALSE, 0);
  return vbox;
}

static GtkWidget *
build_preview_side (Dialog *d)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gimp_frame_new (_("Preview"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GdkPixbuf *content = ns_thumbnail_from_drawable (d->drawables[0], PREVIEW_BOX);

  d->preview = gtk_image_new_from_pixbuf (content);   /* the content until a run shows more */
  g_clear_object (&content);
  gtk_widget_set_size_request (d->preview, PREVIEW_BOX, PREVIEW_BOX);
  gtk_container_add (GTK_CONTAINER (frame), d->preview);
  gtk_box_pack_start (GTK_BOX (vbox), frame, TRUE, TRUE, 0);

  d->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (d->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (d->progress), "");
  gtk_box_pack_start (GTK_BOX (vbox), d->progress, FALSE, FALSE, 0);

  d->status = gtk_label_new (_("Choose a style, then Preview or Apply."));
  gtk_label_set_line_wrap (GTK_LABEL (d->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (d->status), 40);
  gtk_label_set_xalign (GTK_LABEL (d->status), 0.0);
  gtk_box_pack_start (GTK_BOX (vbox), d->status, FALSE, FALSE, 0);

  d->estimate = ns_estimate_label_new (d->config, d->drawables[0]);
  gtk_box_pack_start (GTK_BOX (vbox), d->estimate, FALSE, FALSE, 0);

  d->preview_button = gtk_button_new_with_mnemonic (_("Pre_view"));
  gtk_widget_set_tooltip_text (d->preview_button, _("A quick run at a small size; the image is not changed"));
  d->stop_button = gtk_button_new_with_mnemonic (_("Sto_p"));
  gtk_widget_set_tooltip_text (d->stop_button, _("End the run now and keep its result so far"));
  d->more_button = gtk_button_new_with_mnemonic (_("_More iterations"));
  gtk_widget_set_tooltip_text (d->more_button,
                               _("Continue this Neural Style result from where it stopped, "
                                 "against the layer it was made from; the result is a new layer"));
  g_signal_connect (d->preview_button, "clicked", G_CALLBACK (on_preview_clicked), d);
  g_signal_connect (d->stop_button, "clicked", G_CALLBACK (on_stop_clicked), d);
  g_signal_connect (d->more_button, "clicked", G_CALLBACK (on_more_clicked), d);
  gtk_box_pack_start (GTK_BOX (buttons), d->preview_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (buttons), d->stop_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (buttons), d->more_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), buttons, FALSE, FALSE, 0);
  return vbox;
}

/* On a result layer: its settings into the controls, and More iterations. */
static void
show_result_record (Dialog *d)
{
  NsResultRecord record;
  GError        *error = NULL;
  char          *text;

  if (!GIMP_IS_LAYER (d->drawables[0]) ||
      !ns_result_record_read (GIMP_LAYER (d->drawables[0]), &record, &error))
    {
      gtk_widget_hide (d->more_button);
      if (error != NULL)
        set_status (d, error->message);
      g_clear_error (&error);
      return;
    }
  ns_result_record_to_config (&record, d->config);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "This layer is a Neural Style result (%d iteration); its "
                                    "settings are shown. More iterations continues it.",
                                    "This layer is a Neural Style result (%d iterations); its "
                                    "settings are shown. More iterations continues it.",
                                    record.iterations_done),
                          record.iterations_done);
  set_status (d, text);
  g_free (text);
  ns_result_record_clear (&record);
}

static void
build_dialog (Dialog *d, GimpProcedure *procedure)
{
  GimpProcedureDialog *pd;
  GtkWidget           *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  d->dialog = gimp_procedure_dialog_new (procedure, d->config, _("Neural Style"));
  pd = GIMP_PROCEDURE_DIALOG (d->dialog);
  gimp_procedure_dialog_set_ok_label (pd, _("_Apply"));
  gtk_box_pack_start (GTK_BOX (hbox), build_settings (d, pd), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), build_preview_side (d), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (d->dialog))),
                      hbox, TRUE, TRUE, 0);
  gtk_widget_show_all (hbox);
  gtk_widget_set_visible (d->install_button,
                          !ns_network_is_ready (ns_network_by_model (NS_MODEL_VGG19)));
  show_result_record (d);
  g_signal_connect (d->dialog, "response", G_CALLBACK (on_response_during_apply), d);
  g_signal_connect (d->dialog, "delete-event", G_CALLBACK (on_delete_event), d);
  update_sensitivity (d);
}

/* ------------------------------------------------------------------ run */

GimpPDBStatusType
ns_dialog_run (GimpProcedure *procedure, GimpProcedureConfig *config,
               GimpImage *image, GimpDrawable **drawables,
               GimpLayer **layer)
{
  Dialog            d = { 0 };
  GimpPDBStatusType status = GIMP_PDB_CANCEL;

  d.config = config;
  d.image = image;
  d.drawables = drawables;
  gimp_ui_init (PLUG_IN_BINARY);
  build_dialog (&d, procedure);

  /* The dialog's own loop until Apply (OK) or Cancel; Preview and Stop
   * work inside it.  Apply then runs here with the dialog still up. */
  while (gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (d.dialog)))
    {
      RunKind kind = d.more_requested ? RUN_MORE : RUN_APPLY;

      d.more_requested = FALSE;
      cancel_run (&d);                       /* a preview still going */
      if (!start_run (&d, kind))
        continue;
      d.apply_loop = g_main_loop_new (NULL, FALSE);
      g_main_loop_run (d.apply_loop);
      g_clear_pointer (&d.apply_loop, g_main_loop_unref);
      if (d.layer != NULL)
        {
          *layer = d.layer;
          status = GIMP_PDB_SUCCESS;
          break;
        }
      if (d.error != NULL)     /* failed: say why, let the user change things */
        g_clear_error (&d.error);
      else
        break;                 /* cancelled */
    }
  cancel_run (&d);
  g_signal_handlers_disconnect_by_data (config, &d);
  gtk_widget_destroy (d.dialog);
  return status;
}
