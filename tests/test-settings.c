/* test-settings.c: every row of the settings table round-trips through the
 * procedure's config, a result record and a preset.
 *
 * The procedure is declared by the plug-in's own ns_settings_add_arguments
 * on a GimpPlugIn that never talks to GIMP (its channels are never used:
 * declaring arguments and reading or writing a config send no message).
 * Each row gets a value other than its default, derived from its range, so
 * a new row is covered without editing this file.
 */
#include <glib/gstdio.h>

#include "ns-presets.h"
#include "ns-result-record.h"
#include "ns-settings.h"

static GimpProcedure *procedure;

static GimpValueArray *
never_run (GimpProcedure *p, GimpProcedureConfig *config, gpointer data)
{
  (void) p;
  (void) config;
  (void) data;
  g_assert_not_reached ();
  return NULL;
}

static GimpProcedureConfig *
new_config (void)
{
  return gimp_procedure_create_config (procedure);
}

static int
n_rows (void)
{
  int n = 0;

  while (ns_setting_spec (n) != NULL)
    n++;
  return n;
}

/* A value of @spec's type within its range and not its default. */
static double
other_value (const NsSettingSpec *spec)
{
  double v;

  switch (spec->type)
    {
    case NS_SETTING_CHOICE:
      g_assert_cmpint (ns_setting_n_choices (spec), >=, 2);
      return ((int) spec->fallback + 1) % ns_setting_n_choices (spec);
    case NS_SETTING_BOOLEAN:
      return spec->fallback == 0.0;
    case NS_SETTING_INT:
      v = floor (spec->min + 0.37 * (spec->max - spec->min));
      return v != spec->fallback ? v : v + 1;
    default:
      v = spec->min + 0.37 * (spec->max - spec->min);
      return v != spec->fallback ? v : (v + spec->max) / 2;
    }
}

static double
value_of (const NsSettings *s, const NsSettingSpec *spec)
{
  const guint8 *at = (const guint8 *) s + spec->offset;

  switch (spec->type)
    {
    case NS_SETTING_DOUBLE:
      return *(const double *) at;
    case NS_SETTING_BOOLEAN:
      return *(const gboolean *) at ? 1.0 : 0.0;
    default:
      return *(const int *) at;
    }
}

static void
set_value (NsSettings *s, const NsSettingSpec *spec, double value)
{
  guint8 *at = (guint8 *) s + spec->offset;

  if (spec->type == NS_SETTING_DOUBLE)
    *(double *) at = value;
  else if (spec->type == NS_SETTING_BOOLEAN)
    *(gboolean *) at = value != 0.0;
  else
    *(int *) at = (int) value;
}

/* Settings whose every row holds other_value. */
static void
other_settings (NsSettings *s)
{
  ns_settings_init (s);
  for (int i = 0; i < n_rows (); i++)
    set_value (s, ns_setting_spec (i), other_value (ns_setting_spec (i)));
}

/* What a fresh config gives (iterations and max-size resolved). */
static void
config_defaults (NsSettings *s)
{
  GimpProcedureConfig *config = new_config ();

  g_assert_true (ns_settings_from_config (s, config, NULL));
  ns_settings_clear (s);
  g_object_unref (config);
}

/* @got has @want's value in the rows of @rows, @defaults' elsewhere. */
static void
assert_rows (const NsSettings *got, const NsSettings *want, guint64 rows,
             const NsSettings *defaults)
{
  for (int i = 0; i < n_rows (); i++)
    {
      const NsSettingSpec *spec = ns_setting_spec (i);
      gboolean             in = (rows & (G_GUINT64_CONSTANT (1) << i)) != 0;
      double               expected = value_of (in ? want : defaults, spec);

      if (value_of (got, spec) != expected)
        g_error ("%s: %g, expected %g", spec->name, value_of (got, spec), expected);
    }
}

static void
test_table (void)
{
  GimpProcedureConfig *config = new_config ();

  g_assert_cmpint (n_rows (), >, 0);
  for (int i = 0; i < n_rows (); i++)
    {
      const NsSettingSpec *spec = ns_setting_spec (i);
      char                *key = ns_setting_key (spec);

      g_assert_true (ns_setting_lookup (spec->name) == spec);
      g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (config),
                                                      spec->name));
      g_assert_true (g_ascii_isupper (key[0]));
      g_assert_null (strchr (key, '-'));
      g_free (key);
    }
  g_assert_null (ns_setting_lookup ("no-such-setting"));
  g_object_unref (config);
}

static void
test_config (void)
{
  GimpProcedureConfig *config = new_config ();
  NsSettings           want, got;

  other_settings (&want);
  ns_settings_to_config (&want, ns_settings_rows (0), config);
  g_assert_true (ns_settings_from_config (&got, config, NULL));
  assert_rows (&got, &want, ns_settings_rows (0), &want);
  ns_settings_clear (&got);
  g_object_unref (config);
}

/* The quality fills in iterations and max-size left at 0 and -1. */
static void
test_quality_resolves (void)
{
  GimpProcedureConfig *config = new_config ();
  NsSettings           got;

  g_object_set (config, "quality", ns_quality_get (0)->choice.id, "iterations", 0,
                "max-size", -1, NULL);
  g_assert_true (ns_settings_from_config (&got, config, NULL));
  g_assert_cmpint (got.params.iterations, ==, ns_quality_get (0)->iterations);
  g_assert_cmpint (got.params.max_size, ==, ns_quality_get (0)->max_size);
  ns_settings_clear (&got);
  g_object_unref (config);
}

static char *
record_data (const NsSettings *settings)
{
  NsResultRecord r = { 0 };
  GimpParasite  *parasite;
  guint32        size = 0;
  const char    *bytes;
  char          *data;

  ns_settings_copy (&r.settings, settings);
  r.settings.styles = ns_style_refs_new ();
  r.source_name = g_strdup ("Photo");
  r.width = 64;
  r.height = 48;
  r.iterations_done = 30;
  parasite = ns_result_record_to_parasite (&r, NULL);
  bytes = gimp_parasite_get_data (parasite, &size);
  data = g_strndup (bytes, size);
  gimp_parasite_free (parasite);
  ns_result_record_clear (&r);
  return data;
}

static void
test_record (void)
{
  GimpProcedureConfig *config = new_config ();
  NsSettings           want, got, defaults, fresh;
  NsResultRecord       r;
  char                *data;
  guint64              recorded = ns_settings_rows (NS_IN_RECORD);

  other_settings (&want);
  ns_settings_init (&defaults);
  config_defaults (&fresh);
  data = record_data (&want);
  if (!ns_result_record_parse (data, strlen (data) + 1, NULL, &r))
    g_error ("the record was refused:\n%s", data);
  assert_rows (&r.settings, &want, recorded, &defaults);
  g_assert_cmpint (r.iterations_done, ==, 30);
  /* and from the record into a config, as the dialog shows it */
  ns_result_record_to_config (&r, config);
  g_assert_true (ns_settings_from_config (&got, config, NULL));
  assert_rows (&got, &want, recorded, &fresh);
  ns_settings_clear (&got);
  ns_result_record_clear (&r);
  g_free (data);
  g_object_unref (config);
}

/* A record whose value of any recorded row is out of range is refused. */
static void
test_record_refuses_out_of_range (void)
{
  for (int i = 0; i < n_rows (); i++)
    {
      const NsSettingSpec *spec = ns_setting_spec (i);
      NsResultRecord       r;
      char                *data, *key, *line, *bad;
      GString             *edited;
      NsSettings           s;

      if (!(spec->scope & NS_IN_RECORD))
        continue;
      ns_settings_init (&s);
      data = record_data (&s);
      key = ns_setting_key (spec);
      line = g_strstr_len (data, -1, key);
      if (line == NULL)
        g_error ("no %s in the record:\n%s", key, data);
      bad = spec->type == NS_SETTING_CHOICE ? g_strdup ("no-such-choice")
                                              : g_strdup_printf ("%.17g", spec->max + 1e6);
      edited = g_string_new_len (data, line - data);
      g_string_append_printf (edited, "%s=%s%s", key, bad, strchr (line, '\n'));
      if (ns_result_record_parse (edited->str, edited->len + 1, NULL, &r))
        g_error ("%s=%s was accepted", key, bad);
      g_string_free (edited, TRUE);
      g_free (bad);
      g_free (key);
      g_free (data);
    }
}

/* A preset that recommends other values for every preset row. */
static char *
write_preset (const NsSettings *settings, const char *extra)
{
  char     *dir = g_dir_make_tmp ("ns-preset-XXXXXX", NULL);
  char     *path = g_build_filename (dir, "test.preset", NULL);
  GKeyFile *kf = g_key_file_new ();
  char     *keys, *text;

  g_key_file_set_string (kf, "Neural Style Preset", "Name", "Test");
  g_key_file_set_string (kf, "Neural Style Preset", "Image", "test.png");
  ns_settings_write_keys (settings, ns_settings_rows (NS_IN_PRESET), kf, "Neural Style Preset");
  keys = g_key_file_to_data (kf, NULL, NULL);
  text = g_strconcat (keys, extra, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_free (keys);
  g_free (text);
  g_key_file_free (kf);
  g_free (path);
  return dir;
}

static void
remove_preset (char *dir)
{
  char *path = g_build_filename (dir, "test.preset", NULL);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static void
test_preset (void)
{
  GimpProcedureConfig *config = new_config ();
  NsSettings           want, got, fresh;
  char                *dir;
  NsPreset            *preset;
  GError              *error = NULL;

  other_settings (&want);
  config_defaults (&fresh);
  dir = write_preset (&want, "");
  preset = ns_preset_read (dir, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preset->recommended_rows, ==, ns_settings_rows (NS_IN_PRESET));
  ns_preset_recommend (preset, config);
  g_assert_true (ns_settings_from_config (&got, config, NULL));
  /* Rows presets do not carry keep the config's defaults. */
  assert_rows (&got, &want, ns_settings_rows (NS_IN_PRESET), &fresh);
  ns_settings_clear (&got);
  ns_preset_free (preset);
  remove_preset (dir);
  g_object_unref (config);
}

/* A preset that leaves a setting out recommends nothing for it; one with
 * a value out of range is refused. */
static void
test_preset_partial_and_bad (void)
{
  NsSettings  defaults;
  char       *dir;
  NsPreset   *preset;
  GError     *error = NULL;
  GKeyFile   *kf = g_key_file_new ();
  char       *path;

  ns_settings_init (&defaults);
  dir = write_preset (&defaults, "");
  path = g_build_filename (dir, "test.preset", NULL);
  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL));
  g_assert_true (g_key_file_remove_key (kf, "Neural Style Preset", "StyleScale", NULL));
  g_assert_true (g_key_file_save_to_file (kf, path, NULL));
  preset = ns_preset_read (dir, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preset->recommended_rows, ==,
                    ns_settings_rows (NS_IN_PRESET) &
                    ~(G_GUINT64_CONSTANT (1) << (ns_setting_lookup ("style-scale") - ns_setting_spec (0))));
  ns_preset_free (preset);

  g_key_file_set_double (kf, "Neural Style Preset", "StyleWeight", 1e9);
  g_assert_true (g_key_file_save_to_file (kf, path, NULL));
  g_assert_null (ns_preset_read (dir, "test", &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_key_file_free (kf);
  g_free (path);
  remove_preset (dir);
}

int
main (int argc, char **argv)
{
  GIOChannel *channel = g_io_channel_unix_new (0);
  GimpPlugIn *plug_in;

  g_test_init (&argc, &argv, NULL);
  plug_in = g_object_new (GIMP_TYPE_PLUG_IN, "read-channel", channel,
                          "write-channel", channel, NULL);
  procedure = gimp_procedure_new (plug_in, NS_PROCEDURE_NAME, GIMP_PDB_PROC_TYPE_PLUGIN,
                                  never_run, NULL, NULL);
  ns_settings_add_arguments (procedure);

  g_test_add_func ("/settings/table", test_table);
  g_test_add_func ("/settings/config-round-trip", test_config);
  g_test_add_func ("/settings/quality-resolves", test_quality_resolves);
  g_test_add_func ("/settings/record-round-trip", test_record);
  g_test_add_func ("/settings/record-refuses-out-of-range", test_record_refuses_out_of_range);
  g_test_add_func ("/settings/preset-round-trip", test_preset);
  g_test_add_func ("/settings/preset-partial-and-bad", test_preset_partial_and_bad);
  return g_test_run ();
}
