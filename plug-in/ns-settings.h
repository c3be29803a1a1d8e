/* ns-settings.h: the procedure's settings, defined once in a table.
 *
 * Every setting other than the style sources (ns-style-refs.h) is one row
 * of a table (ns-settings.c): its argument name, type, range, default,
 * label and blurb, where its value lives in NsSettings, and whether result
 * records and presets carry it.  The procedure's arguments, reading and
 * writing the config, the result record's keys and a preset's recommended
 * values are all loops over that table, so a new setting is one row (plus
 * its place in the dialog and its translations).
 *
 * The config object must not cross into the worker thread, so a run copies
 * every value into NsSettings first.
 */
#pragma once

#include <libgimp/gimp.h>

#include "ns-style-refs.h"
#include "ns-transfer.h"

G_BEGIN_DECLS

#define NS_PROCEDURE_NAME "plug-in-neural-style"

/* A row of a choice table: tables whose rows start with these two members
 * (qualities, networks) serve as a choice argument's values. */
typedef struct
{
  const char *id;       /* the argument's value and the records' word: API */
  const char *label;    /* N_(), shown in the dialog */
} NsChoice;

/* The @index-th choice of a table, or NULL past its end. */
typedef const NsChoice *(*NsChoiceTable) (int index);

typedef struct
{
  NsChoice choice;
  int      iterations;     /* per coarse-to-fine scale */
  int      max_size;       /* processing long side; 0: the layer's own */
} NsQuality;

const NsQuality *ns_quality_get (int index);

typedef struct
{
  GArray           *styles;          /* of NsStyleRef, in argument order */
  /* The core's own parameters: a table row can point straight at one.
   * No callbacks or flags are set here; iterations and max_size are
   * resolved from the quality when read from a config. */
  NsTransferParams  params;
  int               network;         /* index in the network table */
  int               quality;         /* index in the quality table */
  int               threads;         /* 0: all cores */
  int               memory_budget;   /* MB; 0: most of what is free */
  gboolean          more_iterations; /* continue the active layer, a result */
} NsSettings;

/* Where a setting is kept besides the procedure's config. */
typedef enum
{
  NS_IN_RECORD = 1 << 0,   /* a result's record: More iterations reuses it */
  NS_IN_PRESET = 1 << 1    /* a preset may recommend it */
} NsSettingScope;

typedef enum
{
  NS_SETTING_DOUBLE,
  NS_SETTING_INT,
  NS_SETTING_CHOICE,       /* an int index into @choices */
  NS_SETTING_BOOLEAN
} NsSettingType;

typedef struct
{
  const char    *name;     /* the procedure argument: API for Script-Fu */
  NsSettingType  type;
  double         min;
  double         max;
  double         fallback; /* the default; a choice's index */
  const char    *label;    /* N_() */
  const char    *blurb;    /* N_() */
  guint          scope;    /* NsSettingScope flags */
  gsize          offset;   /* of the value in NsSettings */
  NsChoiceTable  choices;  /* NS_SETTING_CHOICE only */
} NsSettingSpec;

/* The table, and its row named @name (NULL if none). */
const NsSettingSpec *ns_setting_spec   (int index);   /* NULL past the end */
const NsSettingSpec *ns_setting_lookup (const char *name);
/* How many choices a NS_SETTING_CHOICE row has. */
int   ns_setting_n_choices (const NsSettingSpec *spec);
/* The key under which records and presets keep @spec: its name in
 * CamelCase ("tv-weight": "TvWeight").  Newly allocated. */
char *ns_setting_key (const NsSettingSpec *spec);

/* Every table default, no styles. */
void     ns_settings_init          (NsSettings *settings);
/* The rows whose scope has any of @scope's flags, as bits (1 << index);
 * 0 gives every row. */
guint64  ns_settings_rows          (guint scope);

void     ns_settings_add_arguments (GimpProcedure *procedure);
/* FALSE with a translated @error when the style arguments do not fit
 * together (@settings is filled and must be cleared either way). */
gboolean ns_settings_from_config   (NsSettings *settings,
                                    GimpProcedureConfig *config,
                                    GError **error);
/* The settings of @rows into @config (styles aside). */
void     ns_settings_to_config     (const NsSettings *settings, guint64 rows,
                                    GimpProcedureConfig *config);
/* The settings of @rows as keys of @group. */
void     ns_settings_write_keys    (const NsSettings *settings, guint64 rows,
                                    GKeyFile *key_file, const char *group);
/* The settings of @rows from keys of @group.  With @present NULL every key
 * is required; otherwise a missing one is skipped and *present gets the
 * bits of the keys read.  FALSE when a key is missing (and required),
 * malformed or out of its setting's range; the settings are then partly
 * read. */
gboolean ns_settings_read_keys     (NsSettings *settings, guint64 rows,
                                    GKeyFile *key_file, const char *group,
                                    guint64 *present);

void     ns_settings_clear         (NsSettings *settings);
void     ns_settings_copy          (NsSettings *dest, const NsSettings *src);
/* TRUE when a style source is given (weights aside). */
gboolean ns_settings_name_a_style  (const NsSettings *settings);
/* The core's parameters for these settings (no progress, cancel or init)
 * on a content of @pixels (the plug-in's own buffers of it come off the
 * memory budget); @pixels 0: no budget. */
void     ns_settings_to_transfer_params (const NsSettings *settings,
                                         double pixels,
                                         NsTransferParams *params);

G_END_DECLS
