/* ns-style-refs.c: the style arguments as one list of sources, and back. */
#include "ns-style-refs.h"

#include <math.h>

#include "ns-i18n.h"

/* The four arguments of each kind, indexed by NsStyleKind, with the
 * label and blurb of each. */
typedef struct
{
  const char *name;
  const char *label;       /* N_() */
  const char *blurb;       /* N_() */
} Argument;

typedef struct
{
  Argument single;
  Argument weight;
  Argument array;
  Argument weights;
} KindArgs;

static const KindArgs kind_args[] = {
  { { "style-file", N_("Style _file"), N_("An image file whose style is transferred") },
    { "style-file-weight", N_("Style file blend _weight"),
      N_("Share of the style file among the styles") },
    { "style-files", N_("More style files"),
      N_("More image files whose styles are blended in, as paths or URIs") },
    { "style-file-weights", N_("Weights of the style files"),
      N_("Blend weight of each of style-files, in order (empty: 1 for each)") } },
  { { "style-layer", N_("Style la_yer"), N_("A layer of any open image whose style is transferred") },
    { "style-layer-weight", N_("Style layer blend we_ight"),
      N_("Share of the style layer among the styles") },
    { "style-layers", N_("More style layers"),
      N_("IDs of more layers of open images whose styles are blended in") },
    { "style-layer-weights", N_("Weights of the style layers"),
      N_("Blend weight of each of style-layers, in order (empty: 1 for each)") } },
  { { "style-preset", N_("Style _preset"),
      N_("A bundled style preset by name, e.g. \"brush-strokes\" (empty: none)") },
    { "style-preset-weight", N_("Style preset _blend weight"),
      N_("Share of the style preset among the styles") },
    { "style-presets", N_("More style presets"),
      N_("More bundled presets by name whose styles are blended in") },
    { "style-preset-weights", N_("Weights of the style presets"),
      N_("Blend weight of each of style-presets, in order (empty: 1 for each)") } },
};

/* The regions' arguments: one value per source, in argument order, into
 * the field of NsStyleRef at @offset. */
typedef struct
{
  Argument arg;
  gsize    offset;
  gboolean layers_only;    /* other kinds take 0 only */
} RegionsArgument;

static const RegionsArgument regions_args[] = {
  { { "style-regions", N_("Style regions"),
      N_("Where each style applies, one per style source in the order style-file, style-layer, "
         "style-preset, style-files…, style-layers…, style-presets…: 0 everywhere, -1 the "
         "selection, -2 outside the selection, or the ID of a channel or layer mask of the "
         "image (empty: everywhere)") },
    G_STRUCT_OFFSET (NsStyleRef, region), FALSE },
  { { "style-sample-regions", N_("Style sample regions"),
      N_("The part of each style image whose style is taken, one per style source in the "
         "order of style-regions: 0 all of it, or for a style layer -1 the selection of its "
         "image or the ID of a channel or layer mask of its image (empty: all of each)") },
    G_STRUCT_OFFSET (NsStyleRef, sample_region), TRUE },
};

#define REGION_FIELD(ref, which) G_STRUCT_MEMBER (int, (ref), regions_args[which].offset)

static void
clear_ref (gpointer data)
{
  NsStyleRef *ref = data;

  g_clear_object (&ref->file);
  g_clear_object (&ref->layer);
  g_clear_pointer (&ref->preset, g_free);
}

GArray *
ns_style_refs_new (void)
{
  GArray *refs = g_array_new (FALSE, TRUE, sizeof (NsStyleRef));

  g_array_set_clear_func (refs, clear_ref);
  return refs;
}

static void
add_ref (GArray *refs, NsStyleKind kind, GFile *file, GimpLayer *layer,
         const char *preset, double weight)
{
  NsStyleRef ref = { kind, NULL, NULL, g_strdup (preset), weight, NS_REGION_EVERYWHERE,
                     NS_REGION_EVERYWHERE };

  ref.file = file ? g_object_ref (file) : NULL;
  ref.layer = layer ? g_object_ref (layer) : NULL;
  g_array_append_val (refs, ref);
}

void
ns_style_refs_append (GArray *refs, const NsStyleRef *r)
{
  add_ref (refs, r->kind, r->file, r->layer, r->preset, r->weight);
  g_array_index (refs, NsStyleRef, refs->len - 1).region = r->region;
  g_array_index (refs, NsStyleRef, refs->len - 1).sample_region = r->sample_region;
}

void
ns_style_refs_add_file (GArray *refs, GFile *file, double weight)
{
  add_ref (refs, NS_STYLE_FILE, file, NULL, NULL, weight);
}

void
ns_style_refs_add_layer (GArray *refs, GimpLayer *layer, double weight)
{
  add_ref (refs, NS_STYLE_LAYER, NULL, layer, NULL, weight);
}

void
ns_style_refs_add_preset (GArray *refs, const char *id, double weight)
{
  add_ref (refs, NS_STYLE_PRESET, NULL, NULL, id, weight);
}

GArray *
ns_style_refs_copy (GArray *refs)
{
  GArray *copy = ns_style_refs_new ();

  for (guint i = 0; i < refs->len; i++)
    ns_style_refs_append (copy, &g_array_index (refs, NsStyleRef, i));
  return copy;
}

gboolean
ns_style_ref_equal (const NsStyleRef *a, const NsStyleRef *b)
{
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case NS_STYLE_FILE:
      return g_file_equal (a->file, b->file);
    case NS_STYLE_LAYER:
      return gimp_item_get_id (GIMP_ITEM (a->layer)) == gimp_item_get_id (GIMP_ITEM (b->layer));
    default:
      return g_strcmp0 (a->preset, b->preset) == 0;
    }
}

gboolean
ns_style_refs_is_argument (const char *name)
{
  for (guint k = 0; k < G_N_ELEMENTS (kind_args); k++)
    if (g_strcmp0 (name, kind_args[k].single.name) == 0 || g_strcmp0 (name, kind_args[k].weight.name) == 0 ||
        g_strcmp0 (name, kind_args[k].array.name) == 0 || g_strcmp0 (name, kind_args[k].weights.name) == 0)
      return TRUE;
  for (guint r = 0; r < G_N_ELEMENTS (regions_args); r++)
    if (g_strcmp0 (name, regions_args[r].arg.name) == 0)
      return TRUE;
  return FALSE;
}

/* ----------------------------------------------------------- arguments */

static void
add_single (GimpProcedure *procedure, NsStyleKind kind)
{
  const Argument *a = &kind_args[kind].single;

  switch (kind)
    {
    case NS_STYLE_FILE:
      gimp_procedure_add_file_argument (procedure, a->name, _(a->label), _(a->blurb),
                                        GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL,
                                        G_PARAM_READWRITE);
      break;
    case NS_STYLE_LAYER:
      gimp_procedure_add_layer_argument (procedure, a->name, _(a->label), _(a->blurb),
                                         TRUE, G_PARAM_READWRITE);
      break;
    default:
      gimp_procedure_add_string_argument (procedure, a->name, _(a->label), _(a->blurb),
                                          "", G_PARAM_READWRITE);
    }
}

/* More sources of @kind and their weights.  Layers by ID, not as a layer
 * array: GIMP 3.0.4 refuses a call that leaves an object-array argument
 * empty ("out of range").  IDs last one session, so those two are never
 * restored as last values. */
static void
add_array (GimpProcedure *procedure, NsStyleKind kind)
{
  const KindArgs *k = &kind_args[kind];
  GParamFlags     flags = G_PARAM_READWRITE |
                          (kind == NS_STYLE_LAYER ? GIMP_PARAM_DONT_SERIALIZE : 0);

  if (kind == NS_STYLE_LAYER)
    gimp_procedure_add_int32_array_argument (procedure, k->array.name, _(k->array.label),
                                             _(k->array.blurb), flags);
  else
    gimp_procedure_add_string_array_argument (procedure, k->array.name, _(k->array.label),
                                              _(k->array.blurb), flags);
  gimp_procedure_add_double_array_argument (procedure, k->weights.name, _(k->weights.label),
                                            _(k->weights.blurb), flags);
}

void
ns_style_refs_add_arguments (GimpProcedure *procedure)
{
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    add_single (procedure, kind);
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    {
      const Argument *w = &kind_args[kind].weight;

      gimp_procedure_add_double_argument (procedure, w->name, _(w->label), _(w->blurb),
                                          0.0, 100.0, 1.0, G_PARAM_READWRITE);
    }
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    add_array (procedure, kind);
  /* IDs of channels last one session: never restored as last values. */
  for (guint r = 0; r < G_N_ELEMENTS (regions_args); r++)
    gimp_procedure_add_int32_array_argument (procedure, regions_args[r].arg.name,
                                             _(regions_args[r].arg.label),
                                             _(regions_args[r].arg.blurb),
                                             G_PARAM_READWRITE | GIMP_PARAM_DONT_SERIALIZE);
}

/* The indices in @refs (in list order: each kind's single, then its
 * array) of the sources in the regions' argument order (the singles of
 * all kinds, then the arrays).  @singles[kind]: whether that kind's single
 * argument gave a source. */
static GArray *
argument_order (GArray *refs, const gboolean *singles)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));
  guint   first[NS_STYLE_PRESET + 2] = { 0 };

  /* Each kind's sources are contiguous in the list, kinds in order. */
  for (guint i = 0; i < refs->len; i++)
    first[g_array_index (refs, NsStyleRef, i).kind + 1] = i + 1;
  for (int k = 1; k <= NS_STYLE_PRESET + 1; k++)
    first[k] = MAX (first[k], first[k - 1]);
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    if (singles[kind])
      g_array_append_val (order, first[kind]);
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    for (guint i = first[kind] + (singles[kind] ? 1 : 0); i < first[kind + 1]; i++)
      g_array_append_val (order, i);
  return order;
}

/* ------------------------------------------------------------- reading */

/* The weights array of @kind for its @n array sources into @weights: its
 * values, or all 1 when it is empty. */
static gboolean
read_weights (GimpProcedureConfig *config, NsStyleKind kind, gsize n,
              double *weights, GError **error)
{
  const char    *name = kind_args[kind].weights.name;
  GValue         value = G_VALUE_INIT;
  GimpArray     *array;
  const double  *values = NULL;
  gsize          n_values = 0;
  gboolean       ok = TRUE;

  g_value_init (&value, GIMP_TYPE_DOUBLE_ARRAY);
  g_object_get_property (G_OBJECT (config), name, &value);
  if ((array = g_value_get_boxed (&value)) != NULL)
    values = gimp_double_array_get_values (array, &n_values);
  if (n_values != 0 && n_values != n)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The number of blend weights in %s (%d) is not the number of sources "
                     "in %s (%d): give one weight for each source, or none for equal weights."),
                   name, (int) n_values, kind_args[kind].array.name, (int) n);
      ok = FALSE;
    }
  for (gsize i = 0; ok && i < n; i++)
    {
      weights[i] = n_values > 0 ? values[i] : 1.0;
      if (!(weights[i] >= 0.0 && weights[i] <= 100.0))
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("%s: a blend weight must be between 0 and 100, not %g."), name, weights[i]);
          ok = FALSE;
        }
    }
  g_value_unset (&value);
  return ok;
}

/* style-files (paths or URIs) or style-presets (ids), by @kind. */
static gboolean
read_string_array (GArray *refs, GimpProcedureConfig *config, NsStyleKind kind,
                   GError **error)
{
  g_auto (GStrv) names = NULL;
  g_autofree double *weights = NULL;
  gsize              n;

  g_object_get (config, kind_args[kind].array.name, &names, NULL);
  n = names ? g_strv_length (names) : 0;
  weights = g_new (double, n + 1);
  if (!read_weights (config, kind, n, weights, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      GFile *file;

      if (kind == NS_STYLE_PRESET)
        {
          ns_style_refs_add_preset (refs, names[i], weights[i]);
          continue;
        }
      file = g_file_new_for_commandline_arg (names[i]);
      ns_style_refs_add_file (refs, file, weights[i]);
      g_object_unref (file);
    }
  return TRUE;
}

/* style-layers: layer IDs. */
static gboolean
read_layer_array (GArray *refs, GimpProcedureConfig *config, GError **error)
{
  GValue             value = G_VALUE_INIT;
  GimpArray         *array;
  const gint32      *ids = NULL;
  g_autofree double *weights = NULL;
  gsize              n = 0;
  gboolean           ok;

  g_value_init (&value, GIMP_TYPE_INT32_ARRAY);
  g_object_get_property (G_OBJECT (config), kind_args[NS_STYLE_LAYER].array.name, &value);
  if ((array = g_value_get_boxed (&value)) != NULL)
    ids = gimp_int32_array_get_values (array, &n);
  weights = g_new (double, n + 1);
  ok = read_weights (config, NS_STYLE_LAYER, n, weights, error);
  for (gsize i = 0; ok && i < n; i++)
    {
      GimpLayer *layer = gimp_layer_get_by_id (ids[i]);

      if (layer == NULL)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("style-layers: %d is not the ID of a layer of an open image."), ids[i]);
      else
        ns_style_refs_add_layer (refs, layer, weights[i]);
      ok = layer != NULL;
    }
  g_value_unset (&value);
  return ok;
}

/* regions_args[@which] onto the sources in @refs (those from @start on,
 * which the config gave); @singles as for argument_order. */
static gboolean
read_regions (GArray *refs, guint start, const gboolean *singles,
              GimpProcedureConfig *config, guint which, GError **error)
{
  const char   *name = regions_args[which].arg.name;
  GValue        value = G_VALUE_INIT;
  GimpArray    *array;
  const gint32 *ids = NULL;
  gsize         n = 0;
  GArray       *given = g_array_new (FALSE, TRUE, sizeof (NsStyleRef));
  GArray       *order;
  gboolean      ok = TRUE;

  g_value_init (&value, GIMP_TYPE_INT32_ARRAY);
  g_object_get_property (G_OBJECT (config), name, &value);
  if ((array = g_value_get_boxed (&value)) != NULL)
    ids = gimp_int32_array_get_values (array, &n);
  /* The given sources as their own list, for their argument order. */
  g_array_append_vals (given, refs->data + (gsize) start * sizeof (NsStyleRef), refs->len - start);
  order = argument_order (given, singles);
  if (n != 0 && n != order->len)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("%s has %d regions for %d style sources: give one region for "
                     "each source, or none for the default."), name, (int) n, (int) order->len);
      ok = FALSE;
    }
  for (gsize i = 0; ok && i < n; i++)
    {
      NsStyleRef *ref = &g_array_index (refs, NsStyleRef, start + g_array_index (order, guint, i));

      if ((ok = ids[i] >= NS_REGION_OUTSIDE_SELECTION) == FALSE)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("%s: %d is not a region: give 0 (everywhere), -1 (the "
                       "selection), -2 (outside the selection) or the ID of a channel or "
                       "layer mask."), name, ids[i]);
      else if ((ok = !regions_args[which].layers_only || ids[i] == 0 ||
                     ref->kind == NS_STYLE_LAYER) == FALSE)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("%s: source %d is a file or a preset, whose image has no selection or "
                       "channels: only a style layer can be sampled in a region (give 0)."),
                     name, (int) i + 1);
      else
        REGION_FIELD (ref, which) = ids[i];
    }
  g_array_unref (order);
  g_array_unref (given);
  g_value_unset (&value);
  return ok;
}

gboolean
ns_style_refs_from_config (GArray *refs, GimpProcedureConfig *config, GError **error)
{
  guint    start = refs->len;
  gboolean singles[3];

  g_autoptr (GFile) file = NULL;
  g_autoptr (GimpLayer) layer = NULL;
  g_autofree char *preset = NULL;
  double           weights[3];

  g_object_get (config,
                "style-file",          &file,
                "style-layer",         &layer,
                "style-preset",        &preset,
                "style-file-weight",   &weights[NS_STYLE_FILE],
                "style-layer-weight",  &weights[NS_STYLE_LAYER],
                "style-preset-weight", &weights[NS_STYLE_PRESET],
                NULL);
  singles[NS_STYLE_FILE] = file != NULL;
  singles[NS_STYLE_LAYER] = layer != NULL;
  singles[NS_STYLE_PRESET] = preset != NULL && *preset != '\0';
  if (file != NULL)
    ns_style_refs_add_file (refs, file, weights[NS_STYLE_FILE]);
  if (!read_string_array (refs, config, NS_STYLE_FILE, error))
    return FALSE;
  if (layer != NULL)
    ns_style_refs_add_layer (refs, layer, weights[NS_STYLE_LAYER]);
  if (!read_layer_array (refs, config, error))
    return FALSE;
  if (preset != NULL && *preset != '\0')
    ns_style_refs_add_preset (refs, preset, weights[NS_STYLE_PRESET]);
  if (!read_string_array (refs, config, NS_STYLE_PRESET, error))
    return FALSE;
  if (refs->len > NS_MAX_STYLES)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("At most %d style sources can be blended, and %d were given."),
                   NS_MAX_STYLES, (int) refs->len);
      return FALSE;
    }
  for (guint r = 0; r < G_N_ELEMENTS (regions_args); r++)
    if (!read_regions (refs, start, singles, config, r, error))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------- writing */

static void
set_int32_array (GimpProcedureConfig *config, const char *name, GArray *ids)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, GIMP_TYPE_INT32_ARRAY);
  if (ids->len > 0)
    gimp_value_set_int32_array (&value, (const gint32 *) ids->data, ids->len);
  g_object_set_property (G_OBJECT (config), name, &value);
  g_value_unset (&value);
}

static void
set_weights (GimpProcedureConfig *config, const char *name, GArray *weights)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, GIMP_TYPE_DOUBLE_ARRAY);
  if (weights->len > 0)
    gimp_value_set_double_array (&value, (const double *) weights->data, weights->len);
  g_object_set_property (G_OBJECT (config), name, &value);
  g_value_unset (&value);
}

static void
set_single (GimpProcedureConfig *config, NsStyleKind kind, const NsStyleRef *first)
{
  const char *name = kind_args[kind].single.name;

  switch (kind)
    {
    case NS_STYLE_FILE:
      g_object_set (config, name, first ? first->file : NULL, NULL);
      break;
    case NS_STYLE_LAYER:
      g_object_set (config, name, first ? first->layer : NULL, NULL);
      break;
    default:
      g_object_set (config, name, first ? first->preset : "", NULL);
    }
  g_object_set (config, kind_args[kind].weight.name, first ? first->weight : 1.0, NULL);
}

/* The arguments of @kind from the sources of that kind in @refs: the first
 * in the single argument, the others in the array (of URIs, layer IDs or
 * preset ids). */
static void
write_kind (GArray *refs, NsStyleKind kind, GimpProcedureConfig *config)
{
  const NsStyleRef *first = NULL;
  GArray           *weights = g_array_new (FALSE, FALSE, sizeof (double));
  GArray           *ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  GPtrArray        *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const NsStyleRef *r = &g_array_index (refs, NsStyleRef, i);
      gint32            id;

      if (r->kind != kind)
        continue;
      if (first == NULL)
        {
          first = r;
          continue;
        }
      g_array_append_val (weights, r->weight);
      if (kind == NS_STYLE_LAYER)
        {
          id = gimp_item_get_id (GIMP_ITEM (r->layer));
          g_array_append_val (ids, id);
        }
      else
        g_ptr_array_add (names, kind == NS_STYLE_FILE ? g_file_get_uri (r->file) : g_strdup (r->preset));
    }
  g_ptr_array_add (names, NULL);
  set_single (config, kind, first);
  if (kind == NS_STYLE_LAYER)
    set_int32_array (config, kind_args[kind].array.name, ids);
  else
    g_object_set (config, kind_args[kind].array.name, names->len > 1 ? names->pdata : NULL, NULL);
  set_weights (config, kind_args[kind].weights.name, weights);
  g_ptr_array_unref (names);
  g_array_unref (ids);
  g_array_unref (weights);
}

/* regions_args[@which] in argument order; empty when every source has
 * the default. */
static void
write_regions (GArray *refs, GimpProcedureConfig *config, guint which)
{
  const char *name = regions_args[which].arg.name;
  gboolean singles[3] = { FALSE, FALSE, FALSE };
  GArray  *ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  GArray  *order;
  gboolean any = FALSE;

  if (refs == NULL)
    {
      set_int32_array (config, name, ids);
      g_array_unref (ids);
      return;
    }
  for (guint i = 0; i < refs->len; i++)
    {
      const NsStyleRef *r = &g_array_index (refs, NsStyleRef, i);

      singles[r->kind] = TRUE;      /* the first of a kind is its single */
      any = any || REGION_FIELD (r, which) != NS_REGION_EVERYWHERE;
    }
  order = argument_order (refs, singles);
  for (guint i = 0; any && i < order->len; i++)
    {
      gint32 id = REGION_FIELD (&g_array_index (refs, NsStyleRef, g_array_index (order, guint, i)),
                                which);

      g_array_append_val (ids, id);
    }
  set_int32_array (config, name, ids);
  g_array_unref (order);
  g_array_unref (ids);
}

void
ns_style_refs_to_config (GArray *refs, GimpProcedureConfig *config)
{
  g_object_freeze_notify (G_OBJECT (config));
  for (NsStyleKind kind = NS_STYLE_FILE; kind <= NS_STYLE_PRESET; kind++)
    write_kind (refs, kind, config);
  for (guint r = 0; r < G_N_ELEMENTS (regions_args); r++)
    write_regions (refs, config, r);
  g_object_thaw_notify (G_OBJECT (config));
}
