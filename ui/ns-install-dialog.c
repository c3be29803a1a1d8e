/* ns-install-dialog.c: the VGG19 install dialog and its worker. */
#include "ns-install-dialog.h"

#include "ns-i18n.h"
#include "ns-install.h"
#include "ns-worker.h"

#define POLL_MS 100

typedef struct
{
  GtkWidget *dialog;
  GtkWidget *file;           /* GtkFileChooserButton */
  GtkWidget *address;        /* GtkEntry */
  GtkWidget *progress;
  GtkWidget *status;
  GMainLoop *loop;
  gboolean   installed;
  gboolean   closing;        /* Cancel pressed while the worker runs */
  NsWorker  *worker;
  gboolean   busy;           /* the worker is installing */
  /* Shared with the worker: */
  char      *path;           /* or */
  char      *url;
  GMutex     lock;           /* guards done, total */
  guint64    done;
  guint64    total;
} Install;

static void
on_progress (guint64 done, guint64 total, gpointer data)
{
  Install *in = data;

  g_mutex_lock (&in->lock);
  in->done = done;
  in->total = total;
  g_mutex_unlock (&in->lock);
}

static gboolean
install (gpointer data, const gint *cancel, GError **error)
{
  Install *in = data;

  return ns_install_vgg19 (in->path, in->url, on_progress, in, cancel, error);
}

static void
set_busy (Install *in, gboolean busy)
{
  gtk_widget_set_sensitive (in->file, !busy);
  gtk_widget_set_sensitive (in->address, !busy);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (in->dialog), GTK_RESPONSE_ACCEPT, !busy);
}

static void
show_progress (gpointer data)
{
  Install *in = data;
  guint64  done, total;

  g_mutex_lock (&in->lock);
  done = in->done;
  total = in->total;
  g_mutex_unlock (&in->lock);
  if (total > 0)
    {
      char *done_text = g_format_size (done), *total_text = g_format_size (total);
      char *text = g_strdup_printf (_("%s of %s"), done_text, total_text);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (in->progress), (double) done / total);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (in->progress), text);
      g_free (text);
      g_free (done_text);
      g_free (total_text);
    }
}

/* The worker has ended: done, failed (say why, let the user retry) or
 * cancelled (close). */
static void
finish (gpointer data)
{
  Install *in = data;
  GError  *error = NULL;
  gboolean ok;

  show_progress (in);
  ok = ns_worker_join (in->worker, &error);
  in->busy = FALSE;
  g_clear_pointer (&in->path, g_free);
  g_clear_pointer (&in->url, g_free);
  set_busy (in, FALSE);
  if (ok)
    in->installed = TRUE;
  else if (!in->closing && error != NULL)
    gtk_label_set_text (GTK_LABEL (in->status), error->message);
  g_clear_error (&error);
  if (ok || in->closing)
    g_main_loop_quit (in->loop);
}

static void
start (Install *in)
{
  const char *address = gtk_entry_get_text (GTK_ENTRY (in->address));

  in->path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (in->file));
  if (in->path == NULL && *address != '\0')
    in->url = g_strdup (address);
  if (in->path == NULL && in->url == NULL)
    {
      gtk_label_set_text (GTK_LABEL (in->status), _("Choose a weights file or give its address."));
      return;
    }
  gtk_label_set_text (GTK_LABEL (in->status), in->path ? _("Checking and copying…") : _("Downloading…"));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (in->progress), 0.0);
  set_busy (in, TRUE);
  in->busy = TRUE;
  ns_worker_start (in->worker, "ns-install", install, in);
  ns_worker_watch (in->worker, POLL_MS, show_progress, finish, in);
}

static void
on_response (GtkDialog *dialog, gint response, Install *in)
{
  (void) dialog;
  if (response == GTK_RESPONSE_ACCEPT && !in->busy)
    start (in);
  else if (response != GTK_RESPONSE_ACCEPT && in->busy)
    {
      /* The worker notices within a moment; finish then closes. */
      in->closing = TRUE;
      ns_worker_cancel (in->worker);
      gtk_label_set_text (GTK_LABEL (in->status), _("Cancelling…"));
    }
  else if (response != GTK_RESPONSE_ACCEPT)
    g_main_loop_quit (in->loop);
}

static gboolean
on_delete_event (GtkWidget *widget, GdkEvent *event, Install *in)
{
  (void) widget;
  (void) event;
  on_response (GTK_DIALOG (in->dialog), GTK_RESPONSE_DELETE_EVENT, in);
  return TRUE;      /* the loop's end destroys it */
}

/* A row: a mnemonic label and its widget. */
static void
add_row (GtkGrid *grid, int row, const char *label, GtkWidget *widget)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);

  gtk_label_set_mnemonic_widget (GTK_LABEL (l), widget);
  gtk_label_set_xalign (GTK_LABEL (l), 0.0);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
}

static void
build (Install *in, GtkWindow *parent)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *intro;
  char      *path = ns_model_path (NS_MODEL_VGG19), *text;

  in->dialog = gtk_dialog_new_with_buttons (_("Install VGG19"), parent,
                                            GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                                            _("_Install"), GTK_RESPONSE_ACCEPT, NULL);
  text = g_strdup_printf (_("VGG19 gives the classic Neural Style look. Its ImageNet weights "
                            "(torchvision's, CC BY 4.0) come as a safetensors file, e.g. timm's "
                            "vgg19.tv_in1k. Only its convolutions are kept, in %s."), path);
  intro = gtk_label_new (text);
  gtk_label_set_line_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 60);
  gtk_label_set_xalign (GTK_LABEL (intro), 0.0);
  in->file = gtk_file_chooser_button_new (_("VGG19 weights"), GTK_FILE_CHOOSER_ACTION_OPEN);
  in->address = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (in->address), "https://…/model.safetensors");
  gtk_entry_set_activates_default (GTK_ENTRY (in->address), TRUE);
  in->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (in->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (in->progress), "");
  in->status = gtk_label_new ("");
  gtk_label_set_line_wrap (GTK_LABEL (in->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (in->status), 0.0);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), intro, 0, 0, 2, 1);
  add_row (GTK_GRID (grid), 1, _("Weights _file"), in->file);
  add_row (GTK_GRID (grid), 2, _("or _address"), in->address);
  gtk_grid_attach (GTK_GRID (grid), in->progress, 0, 3, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), in->status, 0, 4, 2, 1);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (in->dialog))),
                      grid, TRUE, TRUE, 0);
  gtk_dialog_set_default_response (GTK_DIALOG (in->dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (in->dialog, "response", G_CALLBACK (on_response), in);
  g_signal_connect (in->dialog, "delete-event", G_CALLBACK (on_delete_event), in);
  gtk_widget_show_all (in->dialog);
  g_free (text);
  g_free (path);
}

gboolean
ns_install_dialog_run (GtkWindow *parent)
{
  Install in = { 0 };

  g_mutex_init (&in.lock);
  in.worker = ns_worker_new ();
  in.loop = g_main_loop_new (NULL, FALSE);
  build (&in, parent);
  g_main_loop_run (in.loop);
  g_main_loop_unref (in.loop);
  gtk_widget_destroy (in.dialog);
  ns_worker_free (in.worker);
  g_mutex_clear (&in.lock);
  return in.installed;
}
