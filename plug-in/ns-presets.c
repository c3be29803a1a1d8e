/* ns-presets.c: reading the bundled style presets. */
#include "ns-presets.h"

#include "ns-i18n.h"
#include "ns-pixels.h"

#define PRESET_GROUP   "Neural Style Preset"
#define PATTERN_TILED  256

/* The presets' folder: "styles" beside the real executable where it is
 * installed, "../styles" in the build tree (symlinks, as in test profiles,
 * are followed to the real file), else the configured install folder. */
static char *
styles_dir (void)
{
  static const char *const candidates[] = { "styles", "../styles" };
  char *exe = g_file_read_link ("/proc/self/exe", NULL);
  char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;

  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (candidates); i++)
    {
      char *styles = g_build_filename (dir, candidates[i], NULL);
      char *probe = g_build_filename (styles, "brush-strokes.preset", NULL);
      gboolean found = g_file_test (probe, G_FILE_TEST_IS_REGULAR);

      g_free (probe);
      if (found)
        {
          g_free (dir);
          g_free (exe);
          return styles;
        }
      g_free (styles);
    }
  g_free (dir);
  g_free (exe);
  return g_strdup (NS_STYLES_DIR);
}

void
ns_preset_free (NsPreset *preset)
{
  if (preset == NULL)
    return;
  g_free (preset->id);
  g_free (preset->name);
  g_free (preset->description);
  g_free (preset->image_path);
  g_free (preset->pattern);
  ns_settings_clear (&preset->recommended);
  g_free (preset);
}

void
ns_preset_recommend (const NsPreset *preset, GimpProcedureConfig *config)
{
  ns_settings_to_config (&preset->recommended, preset->recommended_rows, config);
}

/* The preset @id from key-file @kf, whose Image is looked for in @dir. */
static NsPreset *
preset_from_key_file (GKeyFile *kf, const char *dir, const char *id, GError **error)
{
  NsPreset   *p = g_new0 (NsPreset, 1);
  const char *problem = NULL;
  char       *image;

  p->id = g_strdup (id);
  p->name = g_key_file_get_locale_string (kf, PRESET_GROUP, "Name", NULL, NULL);
  p->description = g_key_file_get_locale_string (kf, PRESET_GROUP, "Description", NULL, NULL);
  image = g_key_file_get_string (kf, PRESET_GROUP, "Image", NULL);
  p->pattern = g_key_file_get_string (kf, PRESET_GROUP, "Pattern", NULL);
  if (image != NULL && strchr (image, '/') == NULL)   /* only files beside it */
    p->image_path = g_build_filename (dir, image, NULL);
  g_free (image);
  ns_settings_init (&p->recommended);
  if (p->name == NULL || (p->image_path == NULL) == (p->pattern == NULL))
    problem = "needs Name and exactly one of Image or Pattern";
  else if (!ns_settings_read_keys (&p->recommended, ns_settings_rows (NS_IN_PRESET), kf,
                                   PRESET_GROUP, &p->recommended_rows))
    problem = "a recommended setting is malformed or out of its range";
  if (problem != NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, problem);
      g_clear_pointer (&p, ns_preset_free);
    }
  return p;
}

NsPreset *
ns_preset_parse (const char *data, gsize length, const char *dir, const char *id,
                 GError **error)
{
  GKeyFile *kf = g_key_file_new ();
  NsPreset *p = NULL;

  if (g_key_file_load_from_data (kf, data, length, G_KEY_FILE_NONE, error))
    p = preset_from_key_file (kf, dir, id, error);
  g_key_file_free (kf);
  return p;
}

NsPreset *
ns_preset_read (const char *dir, const char *id, GError **error)
{
  char     *file = g_strconcat (id, ".preset", NULL);
  char     *path = g_build_filename (dir, file, NULL);
  GKeyFile *kf = g_key_file_new ();
  NsPreset *p = NULL;

  if (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    p = preset_from_key_file (kf, dir, id, error);
  g_key_file_free (kf);
  g_free (path);
  g_free (file);
  return p;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  const NsPreset *pa = *(NsPreset * const *) a, *pb = *(NsPreset * const *) b;

  return g_strcmp0 (pa->id, pb->id);
}

GPtrArray *
ns_presets_load_all (void)
{
  GPtrArray  *presets = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_preset_free);
  char       *dir = styles_dir ();
  GDir       *d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (entry, ".preset"))
      {
        char     *id = g_strndup (entry, strlen (entry) - strlen (".preset"));
        GError   *error = NULL;
        NsPreset *p = ns_preset_read (dir, id, &error);

        if (p != NULL)
          g_ptr_array_add (presets, p);
        else
          g_warning ("style preset %s skipped: %s", entry, error->message);
        g_clear_error (&error);
        g_free (id);
      }
  if (d != NULL)
    g_dir_close (d);
  g_free (dir);
  g_ptr_array_sort (presets, compare_ids);
  return presets;
}

NsPreset *
ns_preset_load (const char *id, GError **error)
{
  char     *dir = styles_dir ();
  GError   *detail = NULL;
  NsPreset *p = NULL;

  if (id != NULL && *id != '\0' && strchr (id, '/') == NULL)
    p = ns_preset_read (dir, id, &detail);
  if (p == NULL)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("There is no usable style preset called “%s”."), id ? id : "");
  g_clear_error (&detail);
  g_free (dir);
  return p;
}

/* GIMP's pattern @name, tiled to PATTERN_TILED square. */
static NsImage *
pattern_style (const char *name, GError **error)
{
  GimpPattern *pattern = gimp_pattern_get_by_name (name);
  GeglBuffer  *buffer;
  float       *rgb;
  NsImage     *tile, *style = NULL;
  int          w, h;

  buffer = pattern != NULL ? gimp_pattern_get_buffer (pattern, 0, 0, babl_format ("R'G'B' float")) : NULL;
  if (buffer == NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("GIMP's pattern “%s” is not available."), name);
      return NULL;
    }
  w = gegl_buffer_get_width (buffer);
  h = gegl_buffer_get_height (buffer);
  rgb = g_new (float, (gsize) w * h * 3);
  gegl_buffer_get (buffer, GEGL_RECTANGLE (0, 0, w, h), 1.0, babl_format ("R'G'B' float"),
                   rgb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  tile = ns_image_new_from_interleaved (rgb, w, h, 3, NULL);
  g_free (rgb);
  if (tile != NULL)
    style = ns_image_new (PATTERN_TILED, PATTERN_TILED, 3, NULL);
  if (style != NULL)
    for (int c = 0; c < 3; c++)
      for (int y = 0; y < PATTERN_TILED; y++)
        for (int x = 0; x < PATTERN_TILED; x++)
          style->data[((gsize) c * PATTERN_TILED + y) * PATTERN_TILED + x] =
            tile->data[((gsize) c * h + y % h) * w + x % w];
  ns_image_free (tile);
  if (style == NULL)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("There is not enough memory for the style image."));
  return style;
}

NsImage *
ns_preset_style (const NsPreset *preset, GError **error)
{
  NsImage *style;
  GFile   *file;

  if (preset->pattern != NULL)
    return pattern_style (preset->pattern, error);
  file = g_file_new_for_path (preset->image_path);
  style = ns_style_from_file (file, error);
  g_object_unref (file);
  return style;
}
