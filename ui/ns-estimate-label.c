/* ns-estimate-label.c: the estimate shown before a run. */
#include "ns-estimate-label.h"

#include "ns-calibration.h"
#include "ns-i18n.h"
#include "ns-memory.h"
#include "ns-networks.h"
#include "ns-style-refs.h"
#include "ns-stylise.h"

typedef struct
{
  GtkWidget           *label;
  GimpProcedureConfig *config;
  GimpDrawable        *drawable;
  NsCalibrator        *calibrator;      /* a measurement under way, or NULL */
  gboolean             paused;
  /* By network (index in the network table): */
  NsCalibration       *calibrations;
  gboolean            *calibrated;
  char               **failure;         /* why it could not be measured */
} Estimate;

static void update (Estimate *e);

/* "45 s", "1:05 min" or "1:02:05 h" */
static char *
format_duration (double seconds)
{
  int s = MAX ((int) (seconds + 0.5), 1);

  if (s >= 3600)
    return g_strdup_printf (_("%d:%02d:%02d h"), s / 3600, s / 60 % 60, s % 60);
  if (s >= 60)
    return g_strdup_printf (_("%d:%02d min"), s / 60, s % 60);
  return g_strdup_printf (_("%d s"), s);
}

static void
show_estimate (Estimate *e, const NsEstimate *estimate)
{
  guint64  available = ns_memory_available ();
  char    *time = format_duration (estimate->seconds);
  char    *needed = g_format_size (estimate->bytes), *free_text = g_format_size (available);
  char    *text;

  if (estimate->bytes == 0)
    text = g_markup_printf_escaped (_("Apply will take about %s."), time);
  else if (available > 0 && estimate->bytes > available)
    text = g_markup_printf_escaped (_("<b>Not enough memory:</b> Apply would take about %s "
                                      "and need about %s, but only %s is free. Lower "
                                      "Detail or select a smaller area."),
                                    time, needed, free_text);
  else
    text = g_markup_printf_escaped (_("Apply will take about %s and about %s of memory."),
                                    time, needed);
  gtk_label_set_markup (GTK_LABEL (e->label), text);
  g_free (text);
  g_free (time);
  g_free (needed);
  g_free (free_text);
}

/* The measurement has ended. */
static void
calibration_done (gpointer data)
{
  Estimate *e = data;
  int       network = ns_calibrator_network (e->calibrator);
  GError   *error = NULL;

  e->calibrated[network] = ns_calibrator_finish (g_steal_pointer (&e->calibrator),
                                                 &e->calibrations[network], &error);
  if (error != NULL)
    {
      g_free (e->failure[network]);
      e->failure[network] = g_strdup (error->message);
      g_error_free (error);
    }
  update (e);
}

static void
stop_calibration (Estimate *e)
{
  NsCalibration unused;

  if (e->calibrator == NULL)
    return;
  ns_calibrator_cancel (e->calibrator);
  ns_calibrator_finish (g_steal_pointer (&e->calibrator), &unused, NULL);
}

static void
update (Estimate *e)
{
  NsSettings settings = { 0 };
  NsEstimate estimate;

  /* Style sources aside (their errors show when a run starts). */
  ns_settings_from_config (&settings, e->config, NULL);
  if (e->calibrated[settings.network])
    {
      if (ns_stylise_estimate (e->drawable, &settings, &e->calibrations[settings.network], &estimate))
        show_estimate (e, &estimate);
      else
        gtk_label_set_text (GTK_LABEL (e->label), "");
    }
  else if (e->failure[settings.network] != NULL)
    gtk_label_set_text (GTK_LABEL (e->label), e->failure[settings.network]);
  else if (!e->paused && e->calibrator == NULL)
    {
      gtk_label_set_text (GTK_LABEL (e->label), _("Measuring this computer's speed…"));
      e->calibrator = ns_calibrator_start (&settings, calibration_done, e);
    }
  ns_settings_clear (&settings);
}

static void
on_config_changed (GObject *config, GParamSpec *pspec, Estimate *e)
{
  (void) config;
  if (ns_style_refs_is_argument (pspec->name))
    return;             /* which styles does not change time or memory */
  /* A different thread count measures differently. */
  if (g_strcmp0 (pspec->name, "threads") == 0)
    {
      stop_calibration (e);
      memset (e->calibrated, 0, ns_network_count () * sizeof *e->calibrated);
    }
  update (e);
}

static void
estimate_free (gpointer data)
{
  Estimate *e = data;

  stop_calibration (e);
  g_signal_handlers_disconnect_by_data (e->config, e);
  for (int i = 0; i < ns_network_count (); i++)
    g_free (e->failure[i]);
  g_free (e->failure);
  g_free (e->calibrated);
  g_free (e->calibrations);
  g_free (e);
}

GtkWidget *
ns_estimate_label_new (GimpProcedureConfig *config, GimpDrawable *drawable)
{
  Estimate *e = g_new0 (Estimate, 1);

  e->label = gtk_label_new ("");
  e->calibrations = g_new0 (NsCalibration, ns_network_count ());
  e->calibrated = g_new0 (gboolean, ns_network_count ());
  e->failure = g_new0 (char *, ns_network_count ());
  e->config = config;
  e->drawable = drawable;
  gtk_label_set_line_wrap (GTK_LABEL (e->label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (e->label), 40);
  gtk_label_set_xalign (GTK_LABEL (e->label), 0.0);
  g_object_set_data_full (G_OBJECT (e->label), "ns-estimate", e, estimate_free);
  g_signal_connect (config, "notify", G_CALLBACK (on_config_changed), e);
  update (e);
  return e->label;
}

void
ns_estimate_label_pause (GtkWidget *label)
{
  Estimate *e = g_object_get_data (G_OBJECT (label), "ns-estimate");

  e->paused = TRUE;
  stop_calibration (e);
}

void
ns_estimate_label_resume (GtkWidget *label)
{
  Estimate *e = g_object_get_data (G_OBJECT (label), "ns-estimate");

  e->paused = FALSE;
  update (e);
}

void
ns_estimate_label_refresh (GtkWidget *label)
{
  Estimate *e = g_object_get_data (G_OBJECT (label), "ns-estimate");

  for (int i = 0; i < ns_network_count (); i++)
    g_clear_pointer (&e->failure[i], g_free);
  update (e);
}
