/* ns-result-record.c: NsResultRecord as a key file in a layer parasite. */
#include "ns-result-record.h"

#include <math.h>

#include "ns-i18n.h"

#define GROUP   "Neural Style Result"
#define VERSION 1

static const char *const network_ids[] = { "builtin", "vgg19" };
static const char *const quality_ids[] = { "draft", "normal", "fine" };

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

/* The file of the image holding @layer, as a URI; "" for @home's own. */
static char *
layer_image_uri (GimpLayer *layer, GimpImage *home)
{
  GimpImage *image = gimp_item_get_image (GIMP_ITEM (layer));
  GFile     *file = image != home ? gimp_image_get_file (image) : NULL;
  char      *uri = file ? g_file_get_uri (file) : g_strdup ("");

  g_clear_object (&file);
  return uri;
}

static void
write_settings (GKeyFile *kf, const NsSettings *s, GimpImage *home)
{
  char *uri = s->style_file ? g_file_get_uri (s->style_file) : g_strdup ("");

  g_key_file_set_string (kf, GROUP, "StyleFile", uri);
  g_free (uri);
  g_key_file_set_uint64 (kf, GROUP, "StyleLayer",
                         s->style_layer ? gimp_item_get_tattoo (GIMP_ITEM (s->style_layer)) : 0);
  uri = s->style_layer ? layer_image_uri (s->style_layer, home) : g_strdup ("");
  g_key_file_set_string (kf, GROUP, "StyleLayerImage", uri);
  g_free (uri);
  g_key_file_set_string (kf, GROUP, "StyleLayerName",
                         s->style_layer ? gimp_item_get_name (GIMP_ITEM (s->style_layer)) : "");
  g_key_file_set_string (kf, GROUP, "StylePreset", s->style_preset ? s->style_preset : "");
  g_key_file_set_double (kf, GROUP, "StyleFileWeight", s->style_file_weight);
  g_key_file_set_double (kf, GROUP, "StyleLayerWeight", s->style_layer_weight);
  g_key_file_set_double (kf, GROUP, "StylePresetWeight", s->style_preset_weight);
  g_key_file_set_double (kf, GROUP, "StyleScale", s->style_scale);
  g_key_file_set_double (kf, GROUP, "StyleWeight", s->style_weight);
  g_key_file_set_double (kf, GROUP, "ContentWeight", s->content_weight);
  g_key_file_set_double (kf, GROUP, "TvWeight", s->tv_weight);
  g_key_file_set_double (kf, GROUP, "PreserveColors", s->preserve_colors);
  g_key_file_set_string (kf, GROUP, "Network", network_ids[s->network]);
  g_key_file_set_string (kf, GROUP, "Quality", quality_ids[s->quality]);
  g_key_file_set_integer (kf, GROUP, "Iterations", s->iterations);
  g_key_file_set_integer (kf, GROUP, "MaxSize", s->max_size);
  g_key_file_set_uint64 (kf, GROUP, "Seed", s->seed);
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

/* The open image whose file is @uri ("" : @home), or NULL. */
static GimpImage *
find_image (const char *uri, GimpImage *home)
{
  GimpImage **images, *found = NULL;

  if (*uri == '\0')
    return home;
  images = gimp_get_images ();
  for (int i = 0; images != NULL && images[i] != NULL && found == NULL; i++)
    {
      GFile *file = gimp_image_get_file (images[i]);
      char  *image_uri = file ? g_file_get_uri (file) : NULL;

      if (g_strcmp0 (image_uri, uri) == 0)
        found = images[i];
      g_free (image_uri);
      g_clear_object (&file);
    }
  g_free (images);
  return found;
}

/* Index of @id in @ids, or -1. */
static int
id_index (const char *id, const char *const *ids, int n)
{
  for (int i = 0; id != NULL && i < n; i++)
    if (strcmp (id, ids[i]) == 0)
      return i;
  return -1;
}

/* Key readers that note a missing or malformed key in *ok. */
static char *
get_string (GKeyFile *kf, const char *key, gboolean *ok)
{
  char *value = g_key_file_get_string (kf, GROUP, key, NULL);

  *ok = *ok && value != NULL;
  return value;
}

static double
get_double (GKeyFile *kf, const char *key, gboolean *ok)
{
  GError *error = NULL;
  double  value = g_key_file_get_double (kf, GROUP, key, &error);

  *ok = *ok && error == NULL && isfinite (value);
  g_clear_error (&error);
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

/* The style layer by tattoo in the image it was in, if still open. */
static void
read_style_layer (GKeyFile *kf, NsSettings *s, char **missing_name,
                  GimpImage *home, gboolean *ok)
{
  gint64           tattoo = get_int (kf, "StyleLayer", ok);
  g_autofree char *uri = get_string (kf, "StyleLayerImage", ok);
  GimpImage       *image;
  GimpLayer       *layer;

  if (!*ok || tattoo <= 0)
    return;
  image = find_image (uri, home);
  layer = image ? gimp_image_get_layer_by_tattoo (image, (guint) tattoo) : NULL;
  s->style_layer = layer ? g_object_ref (layer) : NULL;
  if (layer == NULL)
    *missing_name = get_string (kf, "StyleLayerName", ok);
}

static gboolean
read_settings (GKeyFile *kf, NsSettings *s, char **missing_layer,
               GimpImage *home)
{
  gboolean         ok = TRUE;
  g_autofree char *file = get_string (kf, "StyleFile", &ok);
  g_autofree char *network = get_string (kf, "Network", &ok);
  g_autofree char *quality = get_string (kf, "Quality", &ok);
  int              n = id_index (network, network_ids, G_N_ELEMENTS (network_ids));
  int              q = id_index (quality, quality_ids, G_N_ELEMENTS (quality_ids));

  s->style_file = file != NULL && *file != '\0' ? g_file_new_for_uri (file) : NULL;
  s->style_preset = get_string (kf, "StylePreset", &ok);
  read_style_layer (kf, s, missing_layer, home, &ok);
  s->style_file_weight = get_double (kf, "StyleFileWeight", &ok);
  s->style_layer_weight = get_double (kf, "StyleLayerWeight", &ok);
  s->style_preset_weight = get_double (kf, "StylePresetWeight", &ok);
  s->style_scale = get_double (kf, "StyleScale", &ok);
  s->style_weight = get_double (kf, "StyleWeight", &ok);
  s->content_weight = get_double (kf, "ContentWeight", &ok);
  s->tv_weight = get_double (kf, "TvWeight", &ok);
  s->preserve_colors = get_double (kf, "PreserveColors", &ok);
  s->iterations = (int) CLAMP (get_int (kf, "Iterations", &ok), -1, 10000);
  s->max_size = (int) CLAMP (get_int (kf, "MaxSize", &ok), -2, 16384);
  s->seed = (guint32) get_int (kf, "Seed", &ok);
  s->network = MAX (n, 0);
  s->quality = MAX (q, 0);
  /* Within the procedure's own ranges, so the config accepts them. */
  return ok && n >= 0 && q >= 0 && s->style_scale >= 0.1 && s->style_scale <= 4.0 &&
         s->iterations >= 0 && s->max_size >= -1 &&
         s->style_file_weight >= 0 && s->style_layer_weight >= 0 && s->style_preset_weight >= 0 &&
         s->style_file_weight <= 100 && s->style_layer_weight <= 100 && s->style_preset_weight <= 100 &&
         s->style_weight >= 0 && s->style_weight <= 1000 && s->content_weight >= 0 &&
         s->content_weight <= 1000 && s->tv_weight >= 0 && s->tv_weight <= 1000 &&
         s->preserve_colors >= 0 && s->preserve_colors <= 1;
}

gboolean
ns_result_record_read (GimpLayer *layer, NsResultRecord *r, GError **error)
{
  GimpParasite *parasite = gimp_item_get_parasite (GIMP_ITEM (layer), NS_RESULT_PARASITE);
  GKeyFile     *kf;
  const char   *data;
  guint32       size = 0;
  gsize         n_rect = 0;
  int          *rect = NULL;
  gboolean      ok = TRUE;

  memset (r, 0, sizeof *r);
  if (parasite == NULL)
    return FALSE;
  data = gimp_parasite_get_data (parasite, &size);
  kf = g_key_file_new ();
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
           read_settings (kf, &r->settings, &r->style_layer_name,
                          gimp_item_get_image (GIMP_ITEM (layer)));
    }
  if (ok)
    {
      r->x = rect[0];
      r->y = rect[1];
      r->width = rect[2];
      r->height = rect[3];
    }
  else
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The Neural Style settings stored with the layer \"%s\" are damaged or "
                     "from a newer version: it cannot be continued."),
                   gimp_item_get_name (GIMP_ITEM (layer)));
      ns_result_record_clear (r);
    }
  g_free (rect);
  g_key_file_free (kf);
  gimp_parasite_free (parasite);
  return ok;
}

void
ns_result_record_to_config (const NsResultRecord *r, GimpProcedureConfig *config)
{
  const NsSettings *s = &r->settings;

  g_object_set (config,
                "style-file",          s->style_file,
                "style-layer",         s->style_layer,
                "style-preset",        s->style_preset ? s->style_preset : "",
                "style-file-weight",   s->style_file_weight,
                "style-layer-weight",  s->style_layer_weight,
                "style-preset-weight", s->style_preset_weight,
                "style-scale",         s->style_scale,
                "style-weight",        s->style_weight,
                "content-weight",      s->content_weight,
                "tv-weight",           s->tv_weight,
                "preserve-colors",     s->preserve_colors,
                "network",             network_ids[s->network],
                "quality",             quality_ids[s->quality],
                "iterations",          s->iterations,
                "max-size",            s->max_size,
                "seed",                (int) s->seed,
                NULL);
}

void
ns_result_record_clear (NsResultRecord *r)
{
  ns_settings_clear (&r->settings);
  g_clear_pointer (&r->source_name, g_free);
  g_clear_pointer (&r->style_layer_name, g_free);
}
