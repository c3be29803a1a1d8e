/* ns-settings.c: the settings table and every loop over it.
 *
 * The argument names are API (Script-Fu batches pass them by name), and
 * so are the record and preset keys derived from them; the order of the
 * rows is the order of the arguments after the style sources. */
#include "ns-settings.h"

#include <math.h>

#include "ns-i18n.h"
#include "ns-memory.h"
#include "ns-networks.h"

static const NsQuality qualities[] = {
  /* Iterations per scale; the coarse-to-fine scales below max_size come
   * on top.  Full size paints up to the layer's own size. */
  { { "draft",  N_("Draft (fast)") },        40,  256 },
  { { "normal", N_("Normal") },             100,  512 },
  { { "fine",   N_("Fine (slow)") },        200, 1024 },
  { { "full",   N_("Full size (print)") },  200,    0 },
};

/* Painting at full size (max-size 0, whatever the quality), the scales
 * above this sharpen what the smaller ones painted, with the same work
 * each as this one (see NsTransferParams.detail_side). */
#define FULL_SIZE_DETAIL_SIDE 1024

const NsQuality *
ns_quality_get (int index)
{
  return index >= 0 && index < (int) G_N_ELEMENTS (qualities) ? &qualities[index] : NULL;
}

static const NsChoice *
quality_choice (int index)
{
  const NsQuality *q = ns_quality_get (index);

  return q ? &q->choice : NULL;
}

#define AT(field) G_STRUCT_OFFSET (NsSettings, field)

static const NsSettingSpec table[] = {
  { "style-scale", NS_SETTING_DOUBLE, 0.1, 4.0, 1.0,
    N_("Style scal_e"),
    N_("Size of the style's strokes: the style image is processed at this multiple of the content's size"),
    NS_IN_RECORD | NS_IN_PRESET, AT (params.style_scale), NULL },
  { "style-weight", NS_SETTING_DOUBLE, 0.0, 1000.0, 5.0,
    N_("Style stren_gth"),
    N_("How strongly the style is imposed"),
    NS_IN_RECORD | NS_IN_PRESET, AT (params.style_weight), NULL },
  { "content-weight", NS_SETTING_DOUBLE, 0.0, 1000.0, 1.0,
    N_("_Content weight"),
    N_("How strongly the original's structure is kept"),
    NS_IN_RECORD | NS_IN_PRESET, AT (params.content_weight), NULL },
  { "tv-weight", NS_SETTING_DOUBLE, 0.0, 1000.0, 0.0,
    N_("Smoot_hness"),
    N_("Penalty on pixel-to-pixel noise"),
    NS_IN_RECORD | NS_IN_PRESET, AT (params.tv_weight), NULL },
  { "preserve-colors", NS_SETTING_DOUBLE, 0.0, 1.0, 0.0,
    N_("_Keep original colours"),
    N_("0: colours of the style, 1: colours of the original"),
    NS_IN_RECORD | NS_IN_PRESET, AT (params.preserve_colors), NULL },
  { "network", NS_SETTING_CHOICE, 0, 0, 0,
    N_("_Network"),
    N_("The feature network that judges style and content"),
    NS_IN_RECORD, AT (network), ns_network_choice },
  { "quality", NS_SETTING_CHOICE, 0, 0, 1,
    N_("_Detail"),
    N_("Sets processing size and iterations unless those are given"),
    NS_IN_RECORD, AT (quality), quality_choice },
  { "iterations", NS_SETTING_INT, 0, 10000, 0,
    N_("_Iterations"),
    N_("Optimiser iterations at each scale (0: as the detail setting says)"),
    NS_IN_RECORD, AT (params.iterations), NULL },
  { "max-size", NS_SETTING_INT, -1, 16384, -1,
    N_("Processing si_ze"),
    N_("Long side in pixels at which the style is computed (0: full size, -1: as the detail "
       "setting says); the result always has the layer's size"),
    NS_IN_RECORD, AT (params.max_size), NULL },
  { "start-noise", NS_SETTING_DOUBLE, 0.0, 1.0, 0.0,
    N_("_Start from noise"),
    N_("What the painting starts from: 0: the photo, 1: random noise picked by the seed, "
       "between: a mix (more noise loosens the photo's structure)"),
    NS_IN_RECORD, AT (params.init_noise), NULL },
  { "seed", NS_SETTING_INT, 0, G_MAXINT, 0,
    N_("Random seed"),
    N_("Picks the noise the painting starts from (see start-noise)"),
    NS_IN_RECORD, AT (params.seed), NULL },
  { "threads", NS_SETTING_INT, 0, 256, 0,
    N_("_Threads"),
    N_("Processor cores to use (0: all)"),
    0, AT (threads), NULL },
  { "memory-budget", NS_SETTING_INT, 0, 1048576, 0,
    N_("Memory b_udget (MB)"),
    N_("Most memory a run may use, in megabytes; larger images are then painted in tiles "
       "(0: most of what is free)"),
    0, AT (memory_budget), NULL },
  { "more-iterations", NS_SETTING_BOOLEAN, 0, 1, 0,
    N_("More iterations"),
    N_("Continue a Neural Style result: the active layer must be one; it is optimised further "
       "from where it stopped, against the layer it was made from, and the result is a new "
       "layer. Without any style arguments, the result's stored settings are used "
       "(iterations and threads still apply)"),
    0, AT (more_iterations), NULL },
};

/* Row bits are kept in a guint64. */
G_STATIC_ASSERT (G_N_ELEMENTS (table) <= 64);

const NsSettingSpec *
ns_setting_spec (int index)
{
  return index >= 0 && index < (int) G_N_ELEMENTS (table) ? &table[index] : NULL;
}

const NsSettingSpec *
ns_setting_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (table[i].name, name) == 0)
      return &table[i];
  return NULL;
}

char *
ns_setting_key (const NsSettingSpec *spec)
{
  GString *key = g_string_new (NULL);
  gboolean upper = TRUE;

  for (const char *c = spec->name; *c != '\0'; c++)
    {
      if (*c == '-')
        upper = TRUE;
      else
        {
          g_string_append_c (key, upper ? g_ascii_toupper (*c) : *c);
          upper = FALSE;
        }
    }
  return g_string_free (key, FALSE);
}

guint64
ns_settings_rows (guint scope)
{
  guint64 rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (scope == 0 || (table[i].scope & scope) != 0)
      rows |= G_GUINT64_CONSTANT (1) << i;
  return rows;
}

/* ------------------------------------------------------- values by type */

#define FIELD(s, spec, type) ((type *) ((guint8 *) (s) + (spec)->offset))

int
ns_setting_n_choices (const NsSettingSpec *spec)
{
  int n = 0;

  while (spec->choices (n) != NULL)
    n++;
  return n;
}

static int
choice_index (const NsSettingSpec *spec, const char *id)
{
  const NsChoice *c;

  for (int i = 0; id != NULL && (c = spec->choices (i)) != NULL; i++)
    if (strcmp (c->id, id) == 0)
      return i;
  return -1;
}

static double
get_number (const NsSettings *s, const NsSettingSpec *spec)
{
  switch (spec->type)
    {
    case NS_SETTING_DOUBLE:
      return *FIELD (s, spec, const double);
    case NS_SETTING_BOOLEAN:
      return *FIELD (s, spec, const gboolean) ? 1.0 : 0.0;
    default:
      return *FIELD (s, spec, const int);
    }
}

/* FALSE, and nothing stored, when @value is outside the row's range. */
static gboolean
set_number (NsSettings *s, const NsSettingSpec *spec, double value)
{
  double max = spec->type == NS_SETTING_CHOICE ? ns_setting_n_choices (spec) - 1 : spec->max;

  if (!isfinite (value) || value < spec->min || value > max)
    return FALSE;
  if (spec->type == NS_SETTING_DOUBLE)
    *FIELD (s, spec, double) = value;
  else if (spec->type == NS_SETTING_BOOLEAN)
    *FIELD (s, spec, gboolean) = value != 0.0;
  else
    *FIELD (s, spec, int) = (int) value;
  return TRUE;
}

void
ns_settings_init (NsSettings *s)
{
  memset (s, 0, sizeof *s);
  ns_transfer_params_init (&s->params);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    set_number (s, &table[i], table[i].fallback);
}

/* ------------------------------------------------------------ arguments */

static GimpChoice *
new_choice (const NsSettingSpec *spec)
{
  GimpChoice     *choice = gimp_choice_new ();
  const NsChoice *c;

  for (int i = 0; (c = spec->choices (i)) != NULL; i++)
    gimp_choice_add (choice, c->id, i, _(c->label), NULL);
  return choice;
}

static void
add_argument (GimpProcedure *procedure, const NsSettingSpec *spec)
{
  const char  *label = _(spec->label), *blurb = _(spec->blurb);
  GParamFlags  flags = G_PARAM_READWRITE;

  switch (spec->type)
    {
    case NS_SETTING_DOUBLE:
      gimp_procedure_add_double_argument (procedure, spec->name, label, blurb,
                                          spec->min, spec->max, spec->fallback, flags);
      break;
    case NS_SETTING_INT:
      gimp_procedure_add_int_argument (procedure, spec->name, label, blurb,
                                       (int) spec->min, (int) spec->max,
                                       (int) spec->fallback, flags);
      break;
    case NS_SETTING_CHOICE:
      gimp_procedure_add_choice_argument (procedure, spec->name, label, blurb,
                                          new_choice (spec),
                                          spec->choices ((int) spec->fallback)->id, flags);
      break;
    case NS_SETTING_BOOLEAN:
      gimp_procedure_add_boolean_argument (procedure, spec->name, label, blurb,
                                           spec->fallback != 0.0, flags);
      break;
    }
}

void
ns_settings_add_arguments (GimpProcedure *procedure)
{
  ns_style_refs_add_arguments (procedure);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    add_argument (procedure, &table[i]);
  gimp_procedure_add_layer_return_value (procedure, "layer", _("Layer"),
                                         _("The new layer holding the result"),
                                         FALSE, G_PARAM_READWRITE);
}

/* --------------------------------------------------------------- config */

static void
read_config_value (NsSettings *s, const NsSettingSpec *spec, GimpProcedureConfig *config)
{
  double   d;
  int      i;
  gboolean b;

  switch (spec->type)
    {
    case NS_SETTING_DOUBLE:
      g_object_get (config, spec->name, &d, NULL);
      break;
    case NS_SETTING_INT:
      g_object_get (config, spec->name, &i, NULL);
      d = i;
      break;
    case NS_SETTING_CHOICE:
      d = gimp_procedure_config_get_choice_id (config, spec->name);
      break;
    case NS_SETTING_BOOLEAN:
      g_object_get (config, spec->name, &b, NULL);
      d = b;
      break;
    }
  /* The config holds only values its own ranges allow. */
  set_number (s, spec, d);
}

gboolean
ns_settings_from_config (NsSettings *s, GimpProcedureConfig *config, GError **error)
{
  const NsQuality *quality;

  ns_settings_init (s);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    read_config_value (s, &table[i], config);
  quality = ns_quality_get (s->quality);
  if (s->params.iterations == 0)
    s->params.iterations = quality->iterations;
  if (s->params.max_size < 0)
    s->params.max_size = quality->max_size;
  s->params.detail_side = s->params.max_size == 0 ? FULL_SIZE_DETAIL_SIDE : 0;
  s->styles = ns_style_refs_new ();
  return ns_style_refs_from_config (s->styles, config, error);
}

void
ns_settings_to_config (const NsSettings *s, guint64 rows, GimpProcedureConfig *config)
{
  g_object_freeze_notify (G_OBJECT (config));
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const NsSettingSpec *spec = &table[i];
      double               value = get_number (s, spec);

      if ((rows & (G_GUINT64_CONSTANT (1) << i)) == 0)
        continue;
      if (spec->type == NS_SETTING_DOUBLE)
        g_object_set (config, spec->name, value, NULL);
      else if (spec->type == NS_SETTING_CHOICE)
        g_object_set (config, spec->name, spec->choices ((int) value)->id, NULL);
      else if (spec->type == NS_SETTING_BOOLEAN)
        g_object_set (config, spec->name, (gboolean) (value != 0.0), NULL);
      else
        g_object_set (config, spec->name, (int) value, NULL);
    }
  g_object_thaw_notify (G_OBJECT (config));
}

/* ------------------------------------------------------------ key files */

void
ns_settings_write_keys (const NsSettings *s, guint64 rows, GKeyFile *kf, const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const NsSettingSpec *spec = &table[i];
      double               value = get_number (s, spec);
      char                *key;

      if ((rows & (G_GUINT64_CONSTANT (1) << i)) == 0)
        continue;
      key = ns_setting_key (spec);
      if (spec->type == NS_SETTING_DOUBLE)
        g_key_file_set_double (kf, group, key, value);
      else if (spec->type == NS_SETTING_CHOICE)
        g_key_file_set_string (kf, group, key, spec->choices ((int) value)->id);
      else if (spec->type == NS_SETTING_BOOLEAN)
        g_key_file_set_boolean (kf, group, key, value != 0.0);
      else
        g_key_file_set_int64 (kf, group, key, (gint64) value);
      g_free (key);
    }
}

/* The value of @key as a number of @spec's type; FALSE if malformed. */
static gboolean
read_key (GKeyFile *kf, const char *group, const char *key,
          const NsSettingSpec *spec, double *value)
{
  GError *error = NULL;
  char   *id;

  switch (spec->type)
    {
    case NS_SETTING_DOUBLE:
      *value = g_key_file_get_double (kf, group, key, &error);
      break;
    case NS_SETTING_INT:
      *value = (double) g_key_file_get_int64 (kf, group, key, &error);
      break;
    case NS_SETTING_CHOICE:
      id = g_key_file_get_string (kf, group, key, &error);
      *value = choice_index (spec, id);
      g_free (id);
      break;
    case NS_SETTING_BOOLEAN:
      *value = g_key_file_get_boolean (kf, group, key, &error);
      break;
    }
  if (error == NULL)
    return TRUE;
  g_error_free (error);
  return FALSE;
}

gboolean
ns_settings_read_keys (NsSettings *s, guint64 rows, GKeyFile *kf, const char *group,
                       guint64 *present)
{
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (table); i++)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << i;
      char   *key;
      double  value = 0.0;

      if ((rows & bit) == 0)
        continue;
      key = ns_setting_key (&table[i]);
      if (present != NULL && !g_key_file_has_key (kf, group, key, NULL))
        {
          g_free (key);
          continue;
        }
      ok = read_key (kf, group, key, &table[i], &value) && set_number (s, &table[i], value);
      if (ok && present != NULL)
        *present |= bit;
      g_free (key);
    }
  return ok;
}

/* ---------------------------------------------------------------- rest */

void
ns_settings_copy (NsSettings *dest, const NsSettings *src)
{
  *dest = *src;
  dest->styles = src->styles ? ns_style_refs_copy (src->styles) : NULL;
}

gboolean
ns_settings_name_a_style (const NsSettings *s)
{
  return s->styles != NULL && s->styles->len > 0;
}

void
ns_settings_clear (NsSettings *s)
{
  g_clear_pointer (&s->styles, g_array_unref);
}

/* Of what is free, a run takes at most this share by default. */
#define AUTOMATIC_SHARE 0.8
/* The plug-in's own copy of the pixels it reads and writes: RGBA floats. */
#define PLUG_IN_BYTES_PER_PIXEL 16.0

/* The distinct regions other than everywhere among the sources that
 * count: each is a mask the run holds. */
static int
count_region_masks (GArray *refs)
{
  int n = 0;

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const NsStyleRef *r = &g_array_index (refs, NsStyleRef, i);
      gboolean          seen = r->region == NS_REGION_EVERYWHERE || !(r->weight > 0.0);

      for (guint j = 0; !seen && j < i; j++)
        seen = g_array_index (refs, NsStyleRef, j).weight > 0.0 &&
               g_array_index (refs, NsStyleRef, j).region == r->region;
      n += !seen;
    }
  return n;
}

void
ns_settings_to_transfer_params (const NsSettings *s, double pixels, NsTransferParams *p)
{
  double budget = s->memory_budget > 0 ? (double) s->memory_budget * (1 << 20)
                                       : AUTOMATIC_SHARE * (double) ns_memory_available ();

  *p = s->params;
  p->memory_budget = 0;
  p->region_masks = count_region_masks (s->styles);
  if (pixels > 0 && budget > 0)
    p->memory_budget = (guint64) MAX (budget - PLUG_IN_BYTES_PER_PIXEL * pixels, 1.0);
}
