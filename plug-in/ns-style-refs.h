/* ns-style-refs.h: the style sources a run blends, as the procedure's
 * arguments name them.
 *
 * The arguments give one source of each kind with its blend weight
 * (style-file, style-layer, style-preset) and any number more in arrays
 * (style-files, style-layers, style-presets, with style-file-weights,
 * style-layer-weights, style-preset-weights).  The plug-in works on one
 * list, in the order of the arguments:
 *
 *   style-file, style-files…, style-layer, style-layers…,
 *   style-preset, style-presets…
 *
 * and writes a list back as the first source of each kind in the single
 * argument and the others in the array.
 *
 * style-regions gives each source's region (ns-regions.h), and
 * style-sample-regions the part of each style image that is sampled, in
 * the order the procedure documents for Script-Fu, singles first:
 *
 *   style-file, style-layer, style-preset, style-files…, style-layers…,
 *   style-presets…
 *
 * (empty: every source everywhere, every style image whole).
 */
#pragma once

#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* More than this is refused: each style image is held during the run. */
#define NS_MAX_STYLES 16

typedef enum
{
  NS_STYLE_FILE,
  NS_STYLE_LAYER,
  NS_STYLE_PRESET
} NsStyleKind;

typedef struct
{
  NsStyleKind  kind;
  GFile       *file;     /* NS_STYLE_FILE; owned */
  GimpLayer   *layer;    /* NS_STYLE_LAYER; owned */
  char        *preset;   /* NS_STYLE_PRESET: its id; owned */
  double       weight;   /* blend weight, 0 .. 100; 0 leaves it out */
  int          region;   /* where it applies: NS_REGION_EVERYWHERE (0),
                            NS_REGION_SELECTION, NS_REGION_OUTSIDE_SELECTION
                            or a channel's or layer mask's ID */
  int          sample_region; /* the part of the style image whose style is
                                 taken: NS_REGION_EVERYWHERE (all of it), or
                                 for a style layer NS_REGION_SELECTION or a
                                 channel or layer mask of its image */
} NsStyleRef;

#define NS_REGION_EVERYWHERE          0
#define NS_REGION_SELECTION         (-1)
#define NS_REGION_OUTSIDE_SELECTION (-2)
/* A result record's region whose channel or mask was deleted since. */
#define NS_REGION_MISSING           (-3)

/* Declares the fourteen style-source arguments, in the order above. */
void     ns_style_refs_add_arguments (GimpProcedure *procedure);

/* An empty list: a GArray of NsStyleRef that frees its elements. */
GArray  *ns_style_refs_new         (void);
GArray  *ns_style_refs_copy        (GArray *refs);
/* Append a source (referenced or copied) with @weight. */
void     ns_style_refs_add_file    (GArray *refs, GFile *file, double weight);
void     ns_style_refs_add_layer   (GArray *refs, GimpLayer *layer, double weight);
void     ns_style_refs_add_preset  (GArray *refs, const char *id, double weight);
/* Appends a copy of @ref (its source referenced or copied). */
void     ns_style_refs_append      (GArray *refs, const NsStyleRef *ref);
/* TRUE when @a and @b name the same source (weights and regions aside). */
gboolean ns_style_ref_equal        (const NsStyleRef *a, const NsStyleRef *b);

/* Every source the config's style arguments give, appended to @refs;
 * FALSE with a translated @error when a weights or regions array does not
 * match its sources, a weight or region is out of range or there are
 * more than NS_MAX_STYLES. */
gboolean ns_style_refs_from_config (GArray *refs, GimpProcedureConfig *config,
                                    GError **error);
/* TRUE for the name of one of the fourteen style-source arguments. */
gboolean ns_style_refs_is_argument (const char *name);
/* Sets all fourteen style arguments from @refs (notifications held until
 * all are set). */
void     ns_style_refs_to_config   (GArray *refs, GimpProcedureConfig *config);

G_END_DECLS
