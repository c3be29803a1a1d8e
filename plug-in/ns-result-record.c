/* ns-result-record.c: NsResultRecord as a key file in a layer parasite. */
#include "ns-result-record.h"

#include "ns-i18n.h"

#define GROUP   "Neural Style Result"
#define VERSION 2        /* 1: one source of each kind, as single keys */

void
ns_result_record_init (NsResultRecord *r, const NsSettings *s,
                       GimpDrawable *source, int x, int y, int width,
                       int height, int iterations_done)
{
  memset (r, 0, sizeof *r);
  ns_settings_copy (&r->settings, s);
  r->source_tattoo = gimp_item_get_tattoo (GIMP_ITEM (source));
  r->source_name = g_strdup (gimp_item_get_name (GIMP_ITEM (source)));
  r->x = x;
  r->y = y;
  r->width = width;
  r->height = height;
  r->iterations_done = iterations_done;
}

/* How a record names the image that holds a style layer:
 *   ""            the result's own image
 *   URI           an open image loaded from, saved as or imported from it
 *   untitled:ID   an image without a file (batch loads leave none), by its
 *                 ID: this session only, and the layer's name must match */
static char *
image_ref (GimpImage *image, GimpImage *home)
{
  GFile *file;
  char  *ref;

  if (image == home)
    return g_strdup ("");
  if ((file = gimp_image_get_file (image)) == NULL)
    file = gimp_image_get_imported_file (image);
  ref = file ? g_file_get_uri (file) : g_strdup_printf ("untitled:%d", gimp_image_get_id (image));
  g_clear_object (&file);
  return ref;
}

static void
set_string_list (GKeyFile *kf, const char *key, GPtrArray *values)
{
  g_key_file_set_string_list (kf, GROUP, key, (const char *const *) values->pdata, values->len);
  g_ptr_array_unref (values);
}

static void
set_double_list (GKeyFile *kf, const char *key, GArray *values)
{
  double none = 0.0;       /* GLib wants a list even for no values */

  g_key_file_set_double_list (kf, GROUP, key, values->len > 0 ? (double *) values->data : &none,
                              values->len);
  g_array_unref (values);
}

/* A region as a record keeps it: "0", "-1", "-2" as in style-regions;
 * a channel by tattoo ("channel:T"), a layer mask by its layer's tattoo
 * ("mask:T"): IDs last one session, tattoos are saved with the image. */
static char *
region_ref (int region)
{
  GimpItem *item = region > 0 ? gimp_item_get_by_id (region) : NULL;

  if (item != NULL && GIMP_IS_LAYER_MASK (item))
    {
      GimpLayer *layer = gimp_layer_from_mask (GIMP_LAYER_MASK (item));

      if (layer != NULL)
        return g_strdup_printf ("mask:%u", gimp_item_get_tattoo (GIMP_ITEM (layer)));
    }
  if (item != NULL && GIMP_IS_CHANNEL (item))
    return g_strdup_printf ("channel:%u", gimp_item_get_tattoo (item));
  return g_strdup_printf ("%d", region > 0 ? NS_REGION_MISSING : region);
}

/* The region a record's @ref names in @home; NS_REGION_MISSING when its
 * channel or mask is gone; FALSE when @ref is malformed. */
static gboolean
parse_region (const char *ref, GimpImage *home, int *region)
{
  guint64      tattoo = 0;
  gint64       value = 0;
  GimpItem    *item = NULL;
  const char  *colon = strchr (ref, ':');

  if (colon == NULL)
    {
      if (!g_ascii_string_to_signed (ref, 10, NS_REGION_MISSING, 0, &value, NULL))
        return FALSE;
      *region = (int) value;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT, &tattoo, NULL))
    return FALSE;
  if (home != NULL && g_str_has_prefix (ref, "channel:"))
    item = GIMP_ITEM (gimp_image_get_channel_by_tattoo (home, (guint) tattoo));
  else if (home != NULL && g_str_has_prefix (ref, "mask:"))
    {
      GimpLayer *layer = gimp_image_get_layer_by_tattoo (home, (guint) tattoo);

      item = layer ? GIMP_ITEM (gimp_layer_get_mask (layer)) : NULL;
    }
  else if (!g_str_has_prefix (ref, "channel:") && !g_str_has_prefix (ref, "mask:"))
    return FALSE;
  *region = item != NULL ? gimp_item_get_id (item) : NS_REGION_MISSING;
  return TRUE;
}

/* One list per kind and detail, in order (see the header); the regions
 * in one list, in the sources' order. */
static void
write_styles (GKeyFile *kf, GArray *refs, GimpImage *home)
{
  GPtrArray *regions = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *samples = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *tattoos = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *images = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *presets = g_ptr_array_new_with_free_func (g_free);
  GArray    *weights[3];

  for (int k = 0; k < 3; k++)
    weights[k] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const NsStyleRef *r = &g_array_index (refs, NsStyleRef, i);

      g_ptr_array_add (regions, region_ref (r->region));
      g_ptr_array_add (samples, region_ref (r->sample_region));
      g_array_append_val (weights[r->kind], r->weight);
      if (r->kind == NS_STYLE_FILE)
        g_ptr_array_add (files, g_file_get_uri (r->file));
      else if (r->kind == NS_STYLE_LAYER)
        {
          g_ptr_array_add (tattoos, g_strdup_printf ("%u", gimp_item_get_tattoo (GIMP_ITEM (r->layer))));
          g_ptr_array_add (images, image_ref (gimp_item_get_image (GIMP_ITEM (r->layer)), home));
          g_ptr_array_add (names, g_strdup (gimp_item_get_name (GIMP_ITEM (r->layer))));
        }
      else
        g_ptr_array_add (presets, g_strdup (r->preset));
    }
  set_string_list (kf, "StyleFiles", files);
  set_double_list (kf, "StyleFileWeights", weights[NS_STYLE_FILE]);
  set_string_list (kf, "StyleLayers", tattoos);
  set_string_list (kf, "StyleLayerImages", images);
  set_string_list (kf, "StyleLayerNames", names);
  set_double_list (kf, "StyleLayerWeights", weights[NS_STYLE_LAYER]);
  set_string_list (kf, "StylePresets", presets);
  set_double_list (kf, "StylePresetWeights", weights[NS_STYLE_PRESET]);
  set_string_list (kf, "StyleRegions", regions);
  set_string_list (kf, "StyleSampleRegions", samples);
}

static void
write_settings (GKeyFile *kf, const NsSettings *s, GimpImage *home)
{
  write_styles (kf, s->styles, home);
  ns_settings_write_keys (s, ns_settings_rows (NS_IN_RECORD), kf, GROUP);
}

GimpParasite *
ns_result_record_to_parasite (const NsResultRecord *r, GimpImage *image)
{
  GKeyFile     *kf = g_key_file_new ();
  GimpParasite *parasite;
  char         *data;
  gsize         length;
  int           rect[4] = { r->x, r->y, r->width, r->height };

  g_key_file_set_integer (kf, GROUP, "Version", VERSION);
  g_key_file_set_uint64 (kf, GROUP, "Source", r->source_tattoo);
  g_key_file_set_string (kf, GROUP, "SourceName", r->source_name ? r->source_name : "");
  g_key_file_set_integer_list (kf, GROUP, "Rectangle", rect, 4);
  g_key_file_set_integer (kf, GROUP, "IterationsDone", r->iterations_done);
  write_settings (kf, &r->settings, image);
  data = g_key_file_to_data (kf, &length, NULL);
  parasite = gimp_parasite_new (NS_RESULT_PARASITE,
                                GIMP_PARASITE_PERSISTENT | GIMP_PARASITE_UNDOABLE,
                                (guint32) length + 1, data);
  g_free (data);
  g_key_file_free (kf);
  return parasite;
}

/* The open image that @ref names (see image_ref), or NULL. */
static GimpImage *
find_image (const char *ref, GimpImage *home)
{
  GimpImage **images = gimp_get_images (), *found = NULL;

  for (int i = 0; images != NULL && images[i] != NULL && found == NULL; i++)
    {
      char *image = image_ref (images[i], home);

      if (strcmp (image, ref) == 0)
        found = images[i];
      g_free (image);
    }
  g_free (images);
  return found;
}

/* Key readers that note a missing or malformed key in *ok. */
static char *
get_string (GKeyFile *kf, const char *key, gboolean *ok)
{
  char *value = g_key_file_get_string (kf, GROUP, key, NULL);

  *ok = *ok && value != NULL;
  return value;
}

static gint64
get_int (GKeyFile *kf, const char *key, gboolean *ok)
{
  GError *error = NULL;
  gint64  value = g_key_file_get_int64 (kf, GROUP, key, &error);

  *ok = *ok && error == NULL;
  g_clear_error (&error);
  return value;
}

static char **
get_list (GKeyFile *kf, const char *key, gsize *n, gboolean *ok)
{
  GError *error = NULL;
  char  **values = g_key_file_get_string_list (kf, GROUP, key, n, &error);

  *ok = *ok && error == NULL;
  g_clear_error (&error);
  return values;
}

/* @n blend weights, each 0 .. 100. */
static double *
get_weights (GKeyFile *kf, const char *key, gsize n, gboolean *ok)
{
  GError *error = NULL;
  gsize   length = 0;
  double *values = g_key_file_get_double_list (kf, GROUP, key, &length, &error);

  *ok = *ok && error == NULL && length == n;
  for (gsize i = 0; *ok && i < n; i++)
    *ok = values[i] >= 0.0 && values[i] <= 100.0;
  g_clear_error (&error);
  return values;
}

/* The style layer by tattoo in the image it was in, if that is still open;
 * else its name into *missing_name when its weight counts. */
static gboolean
read_style_layer (GArray *refs, const char *tattoo, const char *uri,
                  const char *name, double weight, char **missing_name,
                  GimpImage *home)
{
  guint64    value = 0;
  GimpImage *image;
  GimpLayer *layer;

  if (!g_ascii_string_to_unsigned (tattoo, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  image = home != NULL ? find_image (uri, home) : NULL;
  layer = image ? gimp_image_get_layer_by_tattoo (image, (guint) value) : NULL;
  if (layer != NULL && g_str_has_prefix (uri, "untitled:") &&
      g_strcmp0 (gimp_item_get_name (GIMP_ITEM (layer)), name) != 0)
    layer = NULL;          /* an ID from another session */
  if (layer != NULL)
    ns_style_refs_add_layer (refs, layer, weight);
  else if (weight > 0.0 && *missing_name == NULL)
    *missing_name = g_strdup (name);
  return TRUE;
}

/* The record's region and sample region @k, where it has them, onto
 * refs[@at]; a style layer's sample region is one of its own image's. */
static gboolean
read_region (GArray *refs, char **regions, char **samples, gsize k, guint at,
             GimpImage *home)
{
  NsStyleRef *ref = &g_array_index (refs, NsStyleRef, at);
  GimpImage  *style_home = ref->kind == NS_STYLE_LAYER
                           ? gimp_item_get_image (GIMP_ITEM (ref->layer)) : NULL;

  return (regions == NULL || parse_region (regions[k], home, &ref->region)) &&
         (samples == NULL || parse_region (samples[k], style_home, &ref->sample_region)) &&
         /* Files and presets have no channels to sample in. */
         (ref->kind == NS_STYLE_LAYER || ref->sample_region == NS_REGION_EVERYWHERE);
}

/* The style sources into @refs, in argument order. */
static gboolean
read_styles (GKeyFile *kf, GArray *refs, char **missing_layer, GimpImage *home)
{
  gboolean           ok = TRUE;
  gsize              n_files = 0, n_layers = 0, n_images = 0, n_names = 0, n_presets = 0;
  g_auto (GStrv)     files = get_list (kf, "StyleFiles", &n_files, &ok);
  g_auto (GStrv)     tattoos = get_list (kf, "StyleLayers", &n_layers, &ok);
  g_auto (GStrv)     images = get_list (kf, "StyleLayerImages", &n_images, &ok);
  g_auto (GStrv)     names = get_list (kf, "StyleLayerNames", &n_names, &ok);
  g_auto (GStrv)     presets = get_list (kf, "StylePresets", &n_presets, &ok);
  g_autofree double *file_weights = get_weights (kf, "StyleFileWeights", n_files, &ok);
  g_autofree double *layer_weights = get_weights (kf, "StyleLayerWeights", n_layers, &ok);
  g_autofree double *preset_weights = get_weights (kf, "StylePresetWeights", n_presets, &ok);
  gsize              n_regions = 0, n = n_files + n_layers + n_presets, k = 0;
  /* Records from before regions have none: every style everywhere. */
  g_auto (GStrv)     regions = g_key_file_get_string_list (kf, GROUP, "StyleRegions",
                                                           &n_regions, NULL);
  gsize              n_samples = 0;
  g_auto (GStrv)     samples = g_key_file_get_string_list (kf, GROUP, "StyleSampleRegions",
                                                           &n_samples, NULL);

  ok = ok && n_images == n_layers && n_names == n_layers && n <= NS_MAX_STYLES &&
       (regions == NULL || n_regions == n) && (samples == NULL || n_samples == n);
  for (gsize i = 0; ok && i < n_files; i++, k++)
    {
      GFile *file = *files[i] != '\0' ? g_file_new_for_uri (files[i]) : NULL;

      ok = file != NULL;
      if (ok)
        ns_style_refs_add_file (refs, file, file_weights[i]);
      g_clear_object (&file);
      ok = ok && read_region (refs, regions, samples, k, refs->len - 1, home);
    }
  for (gsize i = 0; ok && i < n_layers; i++, k++)
    {
      guint before = refs->len;

      ok = read_style_layer (refs, tattoos[i], images[i], names[i], layer_weights[i],
                             missing_layer, home);
      if (ok && refs->len > before)
        ok = read_region (refs, regions, samples, k, before, home);
    }
  for (gsize i = 0; ok && i < n_presets; i++, k++)
    {
      ns_style_refs_add_preset (refs, presets[i], preset_weights[i]);
      ok = read_region (refs, regions, samples, k, refs->len - 1, home);
    }
  return ok;
}

/* The settings, each within the procedure's own range, so the config
 * accepts them. */
static gboolean
read_settings (GKeyFile *kf, NsSettings *s, char **missing_layer,
               GimpImage *home)
{
  ns_settings_init (s);
  s->styles = ns_style_refs_new ();
  return read_styles (kf, s->styles, missing_layer, home) &&
         ns_settings_read_keys (s, ns_settings_rows (NS_IN_RECORD), kf, GROUP, NULL);
}

gboolean
ns_result_record_parse (const char *data, gsize size, GimpImage *home,
                        NsResultRecord *r)
{
  GKeyFile *kf = g_key_file_new ();
  gsize     n_rect = 0;
  int      *rect = NULL;
  gboolean  ok = TRUE;

  memset (r, 0, sizeof *r);
  ok = data != NULL &&
       g_key_file_load_from_data (kf, data, strnlen (data, size), G_KEY_FILE_NONE, NULL) &&
       get_int (kf, "Version", &ok) == VERSION;
  if (ok)
    {
      r->source_tattoo = (guint) get_int (kf, "Source", &ok);
      r->source_name = get_string (kf, "SourceName", &ok);
      r->iterations_done = (int) CLAMP (get_int (kf, "IterationsDone", &ok), 0, G_MAXINT);
      rect = g_key_file_get_integer_list (kf, GROUP, "Rectangle", &n_rect, NULL);
      ok = ok && rect != NULL && n_rect == 4 && rect[2] > 0 && rect[3] > 0 &&
           read_settings (kf, &r->settings, &r->style_layer_name, home);
    }
  if (ok)
    {
      r->x = rect[0];
      r->y = rect[1];
      r->width = rect[2];
      r->height = rect[3];
    }
  else
    ns_result_record_clear (r);
  g_free (rect);
  g_key_file_free (kf);
  return ok;
}

gboolean
ns_result_record_read (GimpLayer *layer, NsResultRecord *r, GError **error)
{
  GimpParasite *parasite = gimp_item_get_parasite (GIMP_ITEM (layer), NS_RESULT_PARASITE);
  const char   *data;
  guint32       size = 0;
  gboolean      ok;

  memset (r, 0, sizeof *r);
  if (parasite == NULL)
    return FALSE;
  data = gimp_parasite_get_data (parasite, &size);
  ok = ns_result_record_parse (data, size, gimp_item_get_image (GIMP_ITEM (layer)), r);
  if (!ok)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("The Neural Style settings stored with the layer \"%s\" are damaged or "
                   "from another version of Neural Style: it cannot be continued."),
                 gimp_item_get_name (GIMP_ITEM (layer)));
  gimp_parasite_free (parasite);
  return ok;
}

void
ns_result_record_to_config (const NsResultRecord *r, GimpProcedureConfig *config)
{
  ns_style_refs_to_config (r->settings.styles, config);
  ns_settings_to_config (&r->settings, ns_settings_rows (NS_IN_RECORD), config);
}

void
ns_result_record_clear (NsResultRecord *r)
{
  ns_settings_clear (&r->settings);
  g_clear_pointer (&r->source_name, g_free);
  g_clear_pointer (&r->style_layer_name, g_free);
}
