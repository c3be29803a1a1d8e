/* ns-presets.h: the bundled style presets (styles/ *.preset).
 *
 * A preset is a key file, group [Neural Style Preset]:
 *   Name, Description      shown in the dialog, localised as in .desktop
 *                          files (Name[de]=…)
 *   Image=FILE.png         a style image next to the preset, or
 *   Pattern=NAME           one of GIMP's own patterns, tiled
 *   StyleWeight, StyleScale, PreserveColors, TvWeight, …
 *                          recommended settings: the keys of the settings
 *                          table's rows that presets carry (ns-settings.h)
 * Presets live in the "styles" folder next to the plug-in's executable
 * (installed and build trees alike).
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-image.h"
#include "ns-settings.h"

G_BEGIN_DECLS

typedef struct
{
  char   *id;             /* file name without .preset: the batch's name */
  char   *name;           /* localised */
  char   *description;    /* localised */
  char   *image_path;     /* NULL for a pattern preset */
  char   *pattern;        /* NULL for an image preset */
  NsSettings recommended;       /* defaults where the preset is silent */
  guint64    recommended_rows;  /* the settings it recommends, as row bits */
} NsPreset;

/* Every readable preset, sorted by id (element type NsPreset, freed with
 * the array); unreadable ones are skipped with a warning. */
GPtrArray *ns_presets_load_all (void);
/* The preset in @dir/@id.preset, or NULL with an untranslated @error
 * (GKeyFile's detail, for a warning). */
NsPreset  *ns_preset_read      (const char *dir, const char *id, GError **error);
/* The same from a key file's bytes, as if read from @dir/@id.preset. */
NsPreset  *ns_preset_parse     (const char *data, gsize length, const char *dir,
                                const char *id, GError **error);
/* The preset called @id, or NULL with a translated @error. */
NsPreset  *ns_preset_load      (const char *id, GError **error);
void       ns_preset_free      (NsPreset *preset);
/* The preset's recommended settings into @config. */
void       ns_preset_recommend (const NsPreset *preset, GimpProcedureConfig *config);

/* The preset's style image (a pattern tiled to 256 x 256), or NULL with a
 * translated @error. */
NsImage   *ns_preset_style     (const NsPreset *preset, GError **error);

G_END_DECLS
