/* ns-install-dialog.c: the VGG19 install dialog and its worker. */
#include "ns-install-dialog.h"

#include <string.h>

#include "ns-i18n.h"
#include "ns-install.h"
#include "ns-model-source.h"
#include "ns-worker.h"

#define POLL_MS 100

typedef struct
{
  GtkWidget *dialog;
  GtkWidget *file;           /* GtkFileChooserButton */
  GtkWidget *address;        /* GtkEntry, the default download's address first */
  GtkWidget *sha256;         /* GtkEntry */
  GtkWidget *full;           /* GtkRadioButton: the complete file, or */
  GtkWidget *quick;          /* the convolutions by ranges */
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
  char      *checksum;       /* hex, or NULL */
  NsDownloadMethod method;
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

  return ns_install_vgg19 (in->path, in->url, in->method, in->checksum, on_progress, in,
                           cancel, error);
}

static void
set_busy (Install *in, gboolean busy)
{
  gtk_widget_set_sensitive (in->file, !busy);
  gtk_widget_set_sensitive (in->address, !busy);
  gtk_widget_set_sensitive (in->sha256, !busy);
  gtk_widget_set_sensitive (in->full, !busy);
  gtk_widget_set_sensitive (in->quick, !busy);
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

static void
set_status (Install *in, const char *text)
{
  gtk_label_set_text (GTK_LABEL (in->status), text);
  g_debug ("install status: %s", text);     /* for tests and bug reports */
}

/* The default download's checksum belongs to its address: another address
 * clears it (a stale checksum would refuse every other file), and the
 * default address brings it back. */
static void
on_address_changed (GtkEditable *editable, Install *in)
{
  const NsModelSource *source = ns_model_source_default (NS_MODEL_VGG19);
  const char          *address = gtk_entry_get_text (GTK_ENTRY (editable));
  const char          *checksum = gtk_entry_get_text (GTK_ENTRY (in->sha256));

  if (strcmp (address, source->url) == 0 && *checksum == '\0')
    gtk_entry_set_text (GTK_ENTRY (in->sha256), source->sha256);
  else if (strcmp (address, source->url) != 0 && strcmp (checksum, source->sha256) == 0)
    gtk_entry_set_text (GTK_ENTRY (in->sha256), "");
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
  g_clear_pointer (&in->checksum, g_free);
  set_busy (in, FALSE);
  if (ok)
    in->installed = TRUE;
  else if (!in->closing && error != NULL)
    set_status (in, error->message);
  g_clear_error (&error);
  if (ok || in->closing)
    g_main_loop_quit (in->loop);
}

static void
start (Install *in)
{
  const char *address = gtk_entry_get_text (GTK_ENTRY (in->address));
  const char *checksum = gtk_entry_get_text (GTK_ENTRY (in->sha256));

  if (*checksum != '\0' && !ns_sha256_is_valid (checksum))
    {
      set_status (in, _("The SHA-256 checksum has 64 hexadecimal digits; leave it empty to "
                        "check none."));
      return;
    }
  in->path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (in->file));
  if (in->path == NULL && *address != '\0')
    in->url = g_strdup (address);
  if (in->path == NULL && in->url == NULL)
    {
      set_status (in, _("Choose a weights file or give its address."));
      return;
    }
  in->checksum = *checksum != '\0' ? g_strdup (checksum) : NULL;
  in->method = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (in->quick))
    ? NS_DOWNLOAD_QUICK : NS_DOWNLOAD_FULL;
  g_debug ("install: %s %s sha256 %s", in->method == NS_DOWNLOAD_QUICK ? "quick" : "full",
           in->path ? in->path : in->url, in->checksum ? in->checksum : "none");
  set_status (in, in->path ? _("Checking and copying…") : _("Downloading…"));
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
      set_status (in, _("Cancelling…"));
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

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  return label;
}

/* The two ways to download, each saying what it fetches and checks. */
static GtkWidget *
method_box (Install *in, const NsModelSource *source)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  char      *full = g_strdup_printf (_("Co_mplete file (about %d MB), checked against its "
                                       "SHA-256, then stripped to the convolutions"),
                                     source->size_mb);
  char      *quick = g_strdup_printf (_("_Quick: only the convolutions (about %d MB), fetched "
                                        "by ranges and checked for shapes and values"),
                                      source->kept_mb);

  in->full = gtk_radio_button_new_with_mnemonic (NULL, full);
  in->quick = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (in->full), quick);
  gtk_box_pack_start (GTK_BOX (box), in->full, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), in->quick, FALSE, FALSE, 0);
  g_free (full);
  g_free (quick);
  return box;
}

static void
build (Install *in, GtkWindow *parent)
{
  const NsModelSource *source = ns_model_source_default (NS_MODEL_VGG19);
  GtkWidget           *grid = gtk_grid_new ();
  char                *path = ns_model_path (NS_MODEL_VGG19), *text;

  in->dialog = gtk_dialog_new_with_buttons (_("Install VGG19"), parent,
                                            GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                                            _("_Install"), GTK_RESPONSE_ACCEPT, NULL);
  /* TRANSLATORS: %s: the model's origin (English), %d: megabytes, %s: a
   * licence's SPDX name, %d: megabytes, %s: a folder */
  text = g_strdup_printf (_("VGG19 gives the classic Neural Style look. The default download "
                            "is %s: about %d MB, licence %s. Only its convolutions (about "
                            "%d MB) are kept, in %s."),
                          source->origin, source->size_mb, source->licence, source->kept_mb,
                          path);
  in->address = gtk_entry_new ();
  gtk_entry_set_text (GTK_ENTRY (in->address), source->url);
  gtk_entry_set_activates_default (GTK_ENTRY (in->address), TRUE);
  in->sha256 = gtk_entry_new ();
  gtk_entry_set_text (GTK_ENTRY (in->sha256), source->sha256);
  gtk_entry_set_width_chars (GTK_ENTRY (in->sha256), 64);
  gtk_widget_set_tooltip_text (in->sha256, _("The complete file's published checksum; "
                                             "empty: none is checked"));
  g_signal_connect (in->address, "changed", G_CALLBACK (on_address_changed), in);
  in->file = gtk_file_chooser_button_new (_("VGG19 weights"), GTK_FILE_CHOOSER_ACTION_OPEN);
  in->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (in->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (in->progress), "");
  in->status = wrapped_label ("");

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), wrapped_label (text), 0, 0, 2, 1);
  add_row (GTK_GRID (grid), 1, _("_Address"), in->address);
  add_row (GTK_GRID (grid), 2, _("_SHA-256"), in->sha256);
  gtk_grid_attach (GTK_GRID (grid), method_box (in, source), 1, 3, 1, 1);
  add_row (GTK_GRID (grid), 4, _("or a weights _file"), in->file);
  gtk_grid_attach (GTK_GRID (grid), in->progress, 0, 5, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), in->status, 0, 6, 2, 1);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (in->dialog))),
                      grid, TRUE, TRUE, 0);
  gtk_dialog_set_default_response (GTK_DIALOG (in->dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (in->dialog, "response", G_CALLBACK (on_response), in);
  g_signal_connect (in->dialog, "delete-event", G_CALLBACK (on_delete_event), in);
  gtk_widget_show_all (in->dialog);
  g_debug ("install: address %s sha256 %s", gtk_entry_get_text (GTK_ENTRY (in->address)),
           gtk_entry_get_text (GTK_ENTRY (in->sha256)));
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
