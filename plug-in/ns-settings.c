/* ns-settings.c: declares the procedure's arguments (their names are API:
 * Script-Fu batches pass them by name) and reads them back. */
#include "ns-settings.h"

#include "ns-i18n.h"

void
ns_settings_add_arguments (GimpProcedure *procedure)
{
  gimp_procedure_add_file_argument (procedure, "style-file",
                                    _("Style _file"),
                                    _("An image file whose style is transferred"),
                                    GIMP_FILE_CHOOSER_ACTION_OPEN,
                                    TRUE, NULL, G_PARAM_READWRITE);
  gimp_procedure_add_layer_argument (procedure, "style-layer",
                                     _("Style la_yer"),
                                     _("A layer of any open image whose style is transferred"),
                                     TRUE, G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "style-preset",
                                      _("Style _preset"),
                                      _("A bundled style preset by name, e.g. \"brush-strokes\" (empty: none)"),
                                      "", G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-file-weight",
                                      _("Style file blend _weight"),
                                      _("Share of the style file among the styles"),
                                      0.0, 100.0, 1.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-layer-weight",
                                      _("Style layer blend we_ight"),
                                      _("Share of the style layer among the styles"),
                                      0.0, 100.0, 1.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-preset-weight",
                                      _("Style preset _blend weight"),
                                      _("Share of the style preset among the styles"),
                                      0.0, 100.0, 1.0, G_PARAM_READWRITE);
  /* More sources of each kind, blended with the above. */
  gimp_procedure_add_string_array_argument (procedure, "style-files",
                                            _("More style files"),
                                            _("More image files whose styles are blended in, as paths or URIs"),
                                            G_PARAM_READWRITE);
  gimp_procedure_add_double_array_argument (procedure, "style-file-weights",
                                            _("Weights of the style files"),
                                            _("Blend weight of each of style-files, in order (empty: 1 for each)"),
                                            G_PARAM_READWRITE);
  /* Layer IDs, not a layer array: GIMP 3.0.4 refuses a call that leaves
   * an object-array argument empty ("out of range").  IDs last one session,
   * so these two are never restored as last values. */
  gimp_procedure_add_int32_array_argument (procedure, "style-layers",
                                           _("More style layers"),
                                           _("IDs of more layers of open images whose styles are blended in"),
                                           G_PARAM_READWRITE | GIMP_PARAM_DONT_SERIALIZE);
  gimp_procedure_add_double_array_argument (procedure, "style-layer-weights",
                                            _("Weights of the style layers"),
                                            _("Blend weight of each of style-layers, in order (empty: 1 for each)"),
                                            G_PARAM_READWRITE | GIMP_PARAM_DONT_SERIALIZE);
  gimp_procedure_add_string_array_argument (procedure, "style-presets",
                                            _("More style presets"),
                                            _("More bundled presets by name whose styles are blended in"),
                                            G_PARAM_READWRITE);
  gimp_procedure_add_double_array_argument (procedure, "style-preset-weights",
                                            _("Weights of the style presets"),
                                            _("Blend weight of each of style-presets, in order (empty: 1 for each)"),
                                            G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-scale",
                                      _("Style scal_e"),
                                      _("Size of the style's strokes: the style image is processed at this multiple of the content's size"),
                                      0.1, 4.0, 1.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-weight",
                                      _("Style stren_gth"),
                                      _("How strongly the style is imposed"),
                                      0.0, 1000.0, 5.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "content-weight",
                                      _("_Content weight"),
                                      _("How strongly the original's structure is kept"),
                                      0.0, 1000.0, 1.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "tv-weight",
                                      _("Smoot_hness"),
                                      _("Penalty on pixel-to-pixel noise"),
                                      0.0, 1000.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "preserve-colors",
                                      _("_Keep original colours"),
                                      _("0: colours of the style, 1: colours of the original"),
                                      0.0, 1.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "network",
                                      _("_Network"),
                                      _("The feature network that judges style and content"),
                                      gimp_choice_new_with_values ("builtin", NS_NETWORK_BUILTIN,
                                                                   _("Built-in (works offline)"), NULL,
                                                                   "vgg19", NS_NETWORK_VGG19,
                                                                   _("VGG19 (classic look; install it first)"), NULL,
                                                                   NULL),
                                      "builtin", G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "quality",
                                      _("_Detail"),
                                      _("Sets processing size and iterations unless those are given"),
                                      gimp_choice_new_with_values ("draft", NS_QUALITY_DRAFT,
                                                                   _("Draft (fast)"), NULL,
                                                                   "normal", NS_QUALITY_NORMAL,
                                                                   _("Normal"), NULL,
                                                                   "fine", NS_QUALITY_FINE,
                                                                   _("Fine (slow)"), NULL,
                                                                   NULL),
                                      "normal", G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "iterations",
                                   _("_Iterations"),
                                   _("Optimiser iterations at each scale (0: as the detail setting says)"),
                                   0, 10000, 0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "max-size",
                                   _("Processing si_ze"),
                                   _("Long side in pixels at which the style is computed (0: full size, -1: as the detail setting says); the result always has the layer's size"),
                                   -1, 16384, -1, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "seed",
                                   _("Random seed"),
                                   _("Seed for the parts of the run that are random"),
                                   0, G_MAXINT, 0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "threads",
                                   _("_Threads"),
                                   _("Processor cores to use (0: all)"),
                                   0, 256, 0, G_PARAM_READWRITE);

  gimp_procedure_add_boolean_argument (procedure, "more-iterations",
                                       _("More iterations"),
                                       _("Continue a Neural Style result: the active layer must be one; "
                                         "it is optimised further from where it stopped, against the "
                                         "layer it was made from, and the result is a new layer. "
                                         "Without any style arguments, the result's stored settings "
                                         "are used (iterations and threads still apply)"),
                                       FALSE, G_PARAM_READWRITE);

  gimp_procedure_add_layer_return_value (procedure, "layer", _("Layer"),
                                         _("The new layer holding the result"),
                                         FALSE, G_PARAM_READWRITE);
}

void
ns_quality_defaults (NsQuality quality, int *iterations, int *max_size)
{
  /* Per scale; the coarse-to-fine scales below max_size come on top. */
  static const int its[] = { 40, 100, 200 }, sizes[] = { 256, 512, 1024 };

  *iterations = its[quality];
  *max_size = sizes[quality];
}

gboolean
ns_settings_from_config (NsSettings *s, GimpProcedureConfig *config, GError **error)
{
  int seed, iterations, max_size;

  g_object_get (config,
                "style-scale",     &s->style_scale,
                "style-weight",    &s->style_weight,
                "content-weight",  &s->content_weight,
                "tv-weight",       &s->tv_weight,
                "preserve-colors", &s->preserve_colors,
                "iterations",      &s->iterations,
                "max-size",        &s->max_size,
                "seed",            &seed,
                "threads",         &s->threads,
                "more-iterations", &s->more_iterations,
                NULL);
  s->seed = (guint32) seed;
  s->network = gimp_procedure_config_get_choice_id (config, "network");
  s->quality = gimp_procedure_config_get_choice_id (config, "quality");
  ns_quality_defaults (s->quality, &iterations, &max_size);
  if (s->iterations == 0)
    s->iterations = iterations;
  if (s->max_size < 0)
    s->max_size = max_size;
  s->styles = ns_style_refs_new ();
  return ns_style_refs_from_config (s->styles, config, error);
}

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

void
ns_settings_to_transfer_params (const NsSettings *s, NsTransferParams *p)
{
  ns_transfer_params_init (p);
  p->style_weight = s->style_weight;
  p->content_weight = s->content_weight;
  p->tv_weight = s->tv_weight;
  p->preserve_colours = s->preserve_colors;
  p->iterations = s->iterations;
  p->max_size = s->max_size;
  p->seed = s->seed;
  p->style_scale = s->style_scale;
}
