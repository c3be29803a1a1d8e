/* ns-result-record.h: the parameters of a result, kept with its layer.
 *
 * Every layer Neural Style makes carries a persistent, undoable parasite
 * "neural-style-result" (saved in XCF) whose data is a key file:
 *
 *   [Neural Style Result]
 *   Version=2
 *   Source=TATTOO              the layer it was made from, and its name
 *   SourceName=Photo
 *   Rectangle=X;Y;W;H          the content's bounds on that layer
 *   IterationsDone=N           at the finest scale, continuations included
 *   StyleFiles=URI;…           the style sources, one list per kind, in
 *   StyleFileWeights=1;…       the order of the arguments (single ones
 *   StyleLayers=TATTOO;…       first) with their blend weights; a style
 *   StyleLayerImages=URI;…     layer's image by file ("": the result's own,
 *   StyleLayerNames=NAME;…     "untitled:ID": one without a file), its name
 *   StyleLayerWeights=…
 *   StylePresets=ID;…
 *   StylePresetWeights=…
 *   StyleScale=1               and the other arguments by name:
 *   Network=vgg19 …            StyleWeight, Quality, Seed …
 *
 * so that the result can be re-run with the same settings, or continued
 * ("More iterations") from where it stopped.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-settings.h"

G_BEGIN_DECLS

#define NS_RESULT_PARASITE "neural-style-result"

typedef struct
{
  NsSettings settings;         /* as run: iterations and processing size
                                  resolved from the quality */
  guint      source_tattoo;
  char      *source_name;
  int        x, y, width, height;
  int        iterations_done;
  char      *style_layer_name; /* a style layer, weight above 0, that is no
                                  longer open (not in settings.styles) */
} NsResultRecord;

/* @record from @settings for a result of @source's rectangle. */
void          ns_result_record_init      (NsResultRecord *record,
                                          const NsSettings *settings,
                                          GimpDrawable *source,
                                          int x, int y, int width, int height,
                                          int iterations_done);
/* @image: the result's image (a style layer in it is stored as such). */
GimpParasite *ns_result_record_to_parasite (const NsResultRecord *record,
                                            GimpImage *image);
/* FALSE with no @error when @layer has no record; FALSE with a translated
 * @error when its record cannot be read. */
gboolean      ns_result_record_read      (GimpLayer *layer,
                                          NsResultRecord *record,
                                          GError **error);
/* A record from a parasite's @data (@size bytes); FALSE when it is
 * damaged or of another version.  @home: the result's image; NULL (outside
 * GIMP: tests, fuzzing) finds no open image, so style layers are missing. */
gboolean      ns_result_record_parse     (const char *data, gsize size,
                                          GimpImage *home,
                                          NsResultRecord *record);
/* The settings into the procedure's config, e.g. to show them in the dialog. */
void          ns_result_record_to_config (const NsResultRecord *record,
                                          GimpProcedureConfig *config);
void          ns_result_record_clear     (NsResultRecord *record);

G_END_DECLS
