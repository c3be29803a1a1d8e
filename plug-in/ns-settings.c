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
                                     _("Style _layer"),
                                     _("A layer of any open image whose style is transferred"),
                                     TRUE, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-weight",
                                      _("_Style strength"),
                                      _("How strongly the style is imposed"),
                                      0.0, 1000.0, 5.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "content-weight",
                                      _("_Content weight"),
                                      _("How strongly the original's structure is kept"),
                                      0.0, 1000.0, 1.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "tv-weight",
                                      _("S_moothness"),
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
  gimp_procedure_add_int_argument (procedure, "iterations",
                                   _("_Iterations"),
                                   _("Optimiser iterations at each scale"),
                                   1, 10000, 100, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "max-size",
                                   _("Processing si_ze"),
                                   _("Long side in pixels at which the style is computed (0: full size); the result always has the layer's size"),
                                   0, 16384, 512, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "seed",
                                   _("R_andom seed"),
                                   _("Seed for the parts of the run that are random"),
                                   0, G_MAXINT, 0, G_PARAM_READWRITE);

  gimp_procedure_add_layer_return_value (procedure, "layer", _("Layer"),
                                         _("The new layer holding the result"),
                                         FALSE, G_PARAM_READWRITE);
}

void
ns_settings_from_config (NsSettings *s, GimpProcedureConfig *config)
{
  int seed;

  g_object_get (config,
                "style-file",      &s->style_file,
                "style-layer",     &s->style_layer,
                "style-weight",    &s->style_weight,
                "content-weight",  &s->content_weight,
                "tv-weight",       &s->tv_weight,
                "preserve-colors", &s->preserve_colors,
                "iterations",      &s->iterations,
                "max-size",        &s->max_size,
                "seed",            &seed,
                NULL);
  s->seed = (guint32) seed;
  s->network = gimp_procedure_config_get_choice_id (config, "network");
}

void
ns_settings_clear (NsSettings *s)
{
  g_clear_object (&s->style_file);
  g_clear_object (&s->style_layer);
}
