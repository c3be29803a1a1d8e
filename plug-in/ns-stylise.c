/* ns-stylise.c: a layer stylised, from its pixels to a new layer. */
#include "ns-stylise.h"

#include "ns-continue.h"
#include "ns-i18n.h"
#include "ns-layer.h"
#include "ns-memory-plan.h"
#include "ns-messages.h"
#include "ns-networks.h"
#include "ns-pixels.h"
#include "ns-presets.h"
#include "ns-regions.h"
#include "ns-result-record.h"
#include "ns-threads.h"

struct _NsStylise
{
  GimpImage      *image;
  GimpDrawable   *drawable;    /* the content's layer, or the result continued */
  gboolean        continued;
  NsPixels        pixels;      /* the result's rectangle; its alpha is kept */
  NsImage        *init_image;  /* a continued result's start, used by the job */
  char           *style_name;
  NsResultRecord  record;      /* for the new layer; iterations_done so far */
  gboolean        whole_layer; /* the selection defines style regions, so
                                  it neither crops nor masks the result */
  int             network;     /* the run's, for its error messages */
  NsJob          *job;
};

/* A translated reason why Neural Style cannot work on @drawables, or NULL. */
static const char *
target_problem (GimpImage *image, GimpDrawable **drawables)
{
  if (gimp_core_object_array_get_length ((GObject **) drawables) != 1)
    return _("Neural Style works on one layer at a time: select a single layer.");
  if (!GIMP_IS_LAYER (drawables[0]) || GIMP_IS_LAYER_MASK (drawables[0]))
    return _("Neural Style works on layers, not on channels or masks.");
  if (gimp_image_get_base_type (image) == GIMP_INDEXED)
    return _("Neural Style does not work on indexed images: convert the "
             "image to RGB or grayscale first (Image → Mode).");
  return NULL;
}

/* The file's name without its extension, for the new layer's name. */
static char *
file_display_stem (GFile *file)
{
  char *base = g_file_get_basename (file);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return base;
}

/* @ref's style image, and its name for the new layer's. */
static NsImage *
load_style (const NsStyleRef *ref, char **name, GError **error)
{
  NsPreset *preset;
  NsImage  *style = NULL;

  switch (ref->kind)
    {
    case NS_STYLE_FILE:
      *name = file_display_stem (ref->file);
      return ns_style_from_file (ref->file, error);
    case NS_STYLE_LAYER:
      /* Its image may have been closed since it was chosen (the dialog
       * stays open while the user works in GIMP). */
      if (!gimp_item_is_valid (GIMP_ITEM (ref->layer)))
        {
          g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                               _("A style layer is gone: its image was closed. "
                                 "Choose another style."));
          return NULL;
        }
      *name = g_strdup (gimp_item_get_name (GIMP_ITEM (ref->layer)));
      return ns_style_from_drawable (GIMP_DRAWABLE (ref->layer), error);
    default:
      preset = ns_preset_load (ref->preset, error);
      if (preset != NULL)
        {
          style = ns_preset_style (preset, error);
          *name = g_strdup (preset->name);
        }
      ns_preset_free (preset);
      return style;
    }
}

/* "A", "A + B", "A + B + C", "A + B + C + …". */
static char *
join_names (GPtrArray *names)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < names->len && i < 3; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " + " : "", (char *) names->pdata[i]);
  if (names->len > 3)
    g_string_append (joined, " + …");
  return g_string_free (joined, FALSE);
}

/* The content's rectangle that a run reads: where its regions come from. */
typedef struct
{
  GimpImage    *image;
  GimpDrawable *drawable;
  int           x, y, width, height;
} ContentArea;

/* @ref's region as a mask over @area, shared with an earlier source of
 * the same region among @sources[0 .. n).  FALSE with @error. */
static gboolean
load_region (const NsStyleRef *ref, const int *regions, NsStyleSource *sources, int n,
             const ContentArea *area, GError **error)
{
  gboolean everywhere;

  for (int j = 0; j < n; j++)
    if (regions[j] == ref->region)
      {
        sources[n].region = sources[j].region;
        return TRUE;
      }
  sources[n].region = ns_region_read (area->image, area->drawable, ref->region, area->x,
                                      area->y, area->width, area->height, &everywhere, error);
  return sources[n].region != NULL || everywhere;
}

/* The part of a style layer's image that @ref samples, as a mask over
 * the layer (NULL with *everywhere for all of it).  FALSE with @error. */
static gboolean
load_sample (const NsStyleRef *ref, NsStyleSource *source, GError **error)
{
  GimpDrawable *layer;
  gboolean      everywhere;

  source->sample = NULL;
  if (ref->sample_region == NS_REGION_EVERYWHERE || ref->kind != NS_STYLE_LAYER)
    return TRUE;          /* only layers have an image to sample in */
  layer = GIMP_DRAWABLE (ref->layer);
  source->sample = ns_region_read (gimp_item_get_image (GIMP_ITEM (layer)), layer,
                                   ref->sample_region, 0, 0, gimp_drawable_get_width (layer),
                                   gimp_drawable_get_height (layer), &everywhere, error);
  return source->sample != NULL;
}

/* Loads every style source with a weight above 0, and its region over
 * @area, into @sources (NS_MAX_STYLES, allocated).  Returns how many (0
 * with @error, @sources then freed); @name gets their names, for the new
 * layer's. */
static int
load_styles (const NsSettings *s, const ContentArea *area, NsStyleSource *sources,
             char **name, GError **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  int        n = 0, regions[NS_MAX_STYLES];

  if (!ns_settings_name_a_style (s))
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Neural Style needs a style: give a style image file "
                   "(style-file), a style layer (style-layer) or a preset "
                   "(style-preset)."));
  for (guint i = 0; s->styles != NULL && i < s->styles->len && n < NS_MAX_STYLES; i++)
    {
      const NsStyleRef *ref = &g_array_index (s->styles, NsStyleRef, i);
      char             *ref_name = NULL;

      if (!(ref->weight > 0.0))
        continue;
      sources[n] = (NsStyleSource) { load_style (ref, &ref_name, error), ref->weight, NULL, NULL };
      if (sources[n].image == NULL || !load_sample (ref, &sources[n], error) ||
          !load_region (ref, regions, sources, n, area, error))
        {
          g_free (ref_name);
          ns_style_sources_free (sources, n + 1);   /* this one's parts too */
          g_ptr_array_unref (names);
          return 0;
        }
      g_ptr_array_add (names, ref_name);
      regions[n++] = ref->region;
    }
  if (n > 0)
    *name = join_names (names);
  else
    g_free (sources);
  if (n == 0 && error != NULL && *error == NULL)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Every style has a blend weight of 0: give at least one a weight above 0."));
  g_ptr_array_unref (names);
  return n;
}

typedef struct
{
  NsJob     *job;
  GMainLoop *loop;
} BatchRun;

/* While a batch run works: GIMP's progress bar follows it. */
static void
batch_tick (gpointer data)
{
  BatchRun    *run = data;
  NsJobStatus  st;

  ns_job_get_status (run->job, &st);
  gimp_progress_update (st.fraction);
  if (st.n_scales > 0)
    gimp_progress_set_text_printf (_("Neural Style: scale %d of %d, iteration %d of %d"),
                                   st.scale + 1, st.n_scales, st.iteration, st.iterations);
}

static void
batch_done (gpointer data)
{
  g_main_loop_quit (((BatchRun *) data)->loop);
}

/* Runs @st's job to its end while GIMP's progress bar follows it. */
static NsImage *
run_job (NsStylise *st, GError **error)
{
  BatchRun  run = { st->job, g_main_loop_new (NULL, FALSE) };
  NsImage  *result;
  GError   *core_error = NULL;

  gimp_progress_init (_("Neural Style"));
  ns_job_start (st->job);
  ns_job_watch (st->job, 200, batch_tick, batch_done, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  result = ns_job_finish (st->job, &core_error);
  gimp_progress_end ();
  if (result == NULL)
    ns_propagate_user_error (error, core_error, st->network);
  return result;
}

/* FALSE, saying what would fit, when no tiling fits the budget. */
static gboolean
fits_budget (NsNetwork *net, const NsTransferParams *params, int w, int h,
             GError **error)
{
  NsFootprint      footprint;
  NsMemoryPlan     plan;
  int              largest;
  g_autofree char *needed = NULL, *budget = NULL;

  ns_footprint_of (net, &footprint);
  if (ns_memory_plan_run (params, &footprint, w, h, &plan))
    return TRUE;
  largest = ns_memory_plan_largest (params, &footprint, w, h);
  needed = g_format_size (plan.bytes);
  budget = g_format_size (params->memory_budget);
  if (largest >= net->min_input_size)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("This needs about %s of memory, but the memory budget leaves %s. A "
                   "processing size of up to %d pixels fits: choose a lower Detail or that "
                   "processing size, select a smaller area, or raise the memory budget."),
                 needed, budget, largest);
  else
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("This needs about %s of memory, but the memory budget leaves %s, too "
                   "little for any processing size: select a smaller area or raise the "
                   "memory budget."), needed, budget);
  return FALSE;
}

/* Styles, their regions, content, network and the job, for content
 * pixels @content_rgba (RGBA, the size of @area); st->init_image, if set,
 * is the start. */
static gboolean
make_job (NsStylise *st, const NsSettings *s, const ContentArea *area,
          const float *content_rgba, GError **error)
{
  NsImage          *content = NULL;
  NsStyleSource    *sources = g_new0 (NsStyleSource, NS_MAX_STYLES);
  NsTransferParams  params;
  NsNetwork        *net = NULL;
  GError           *core_error = NULL;
  int               n_styles, w = area->width, h = area->height;

  n_styles = load_styles (s, area, sources, &st->style_name, error);
  if (n_styles == 0)
    return FALSE;
  st->network = s->network;
  content = ns_image_new_from_interleaved (content_rgba, w, h, 4, &core_error);
  if (content == NULL)
    ns_propagate_user_error (error, core_error, s->network);
  else
    net = ns_networks_open (s->network, error);
  ns_settings_to_transfer_params (s, (double) w * h, &params);
  if (net == NULL || !fits_budget (net, &params, w, h, error))
    {
      ns_network_free (net);
      ns_image_free (content);
      ns_style_sources_free (sources, n_styles);
      return FALSE;
    }
  if (st->init_image != NULL)
    {
      /* From where the result stopped, at the finest scale only. */
      params.init = NS_INIT_IMAGE;
      params.init_image = st->init_image;
      params.max_scales = 1;
    }
  ns_set_num_threads (s->threads);
  st->job = ns_job_new (net, content, sources, n_styles, &params);
  g_free (sources);                 /* the job has a copy, and their images */
  return TRUE;
}

/* More iterations: the result layer's pixels are the start and its
 * rectangle the output; the content comes from the layer it was made from. */
static NsStylise *
prepare_continued (GimpImage *image, GimpLayer *result, const NsSettings *given,
                   GError **error)
{
  NsContinuation c;
  NsPixels       content = { 0 };
  NsStylise     *st;
  GError        *core_error = NULL;
  gboolean       ok;

  if (!ns_continuation_prepare (image, result, given, &c, error))
    return NULL;
  st = g_new0 (NsStylise, 1);
  st->image = image;
  st->drawable = GIMP_DRAWABLE (result);
  st->continued = TRUE;
  ok = ns_pixels_read (st->drawable, 0, 0, c.width, c.height, &st->pixels, error) &&
       ns_pixels_read (c.source, c.x, c.y, c.width, c.height, &content, error);
  if (ok && (st->init_image = ns_image_new_from_interleaved (st->pixels.rgba, c.width, c.height,
                                                             4, &core_error)) == NULL)
    {
      ns_propagate_user_error (error, core_error, c.settings.network);
      ok = FALSE;
    }
  ok = ok && make_job (st, &c.settings,
                       &(ContentArea) { image, c.source, c.x, c.y, c.width, c.height },
                       content.rgba, error);
  if (ok)
    ns_result_record_init (&st->record, &c.settings, c.source, c.x, c.y, c.width,
                           c.height, c.iterations_done);
  ns_pixels_clear (&content);
  ns_continuation_clear (&c);
  if (!ok)
    g_clear_pointer (&st, ns_stylise_free);
  return st;
}

/* The drawable-local rectangle a run works on: the selection's bounds
 * within the layer, or the @whole_layer when the selection defines style
 * regions.  FALSE when that is nothing. */
static gboolean
work_area (GimpDrawable *drawable, gboolean whole_layer, int *x, int *y, int *w, int *h)
{
  if (!whole_layer)
    return gimp_drawable_mask_intersect (drawable, x, y, w, h);
  *x = *y = 0;
  *w = gimp_drawable_get_width (drawable);
  *h = gimp_drawable_get_height (drawable);
  return TRUE;
}

NsStylise *
ns_stylise_prepare (GimpImage *image, GimpDrawable **drawables,
                    const NsSettings *s, GError **error)
{
  NsStylise *st;
  int        x, y, w, h;
  gboolean   whole_layer;

  const char *problem = target_problem (image, drawables);

  if (problem != NULL)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0, problem);
      return NULL;
    }
  if (s->more_iterations)
    return prepare_continued (image, GIMP_LAYER (drawables[0]), s, error);
  whole_layer = ns_regions_use_selection (s->styles);
  if (!work_area (drawables[0], whole_layer, &x, &y, &w, &h))
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The selection does not touch the layer: there is nothing to stylise."));
      return NULL;
    }
  st = g_new0 (NsStylise, 1);
  st->image = image;
  st->drawable = drawables[0];
  st->whole_layer = whole_layer;
  if (!ns_pixels_read (st->drawable, x, y, w, h, &st->pixels, error) ||
      !make_job (st, s, &(ContentArea) { image, st->drawable, x, y, w, h }, st->pixels.rgba,
                 error))
    {
      ns_stylise_free (st);
      return NULL;
    }
  ns_result_record_init (&st->record, s, st->drawable, x, y, w, h, 0);
  return st;
}

gboolean
ns_stylise_estimate (GimpDrawable *drawable, const NsSettings *settings,
                     const NsCalibration *calibration, NsEstimate *estimate)
{
  NsTransferParams params;
  int              x, y, w, h;

  if (!work_area (drawable, ns_regions_use_selection (settings->styles), &x, &y, &w, &h))
    return FALSE;
  ns_settings_to_transfer_params (settings, (double) w * h, &params);
  ns_estimate (calibration, &params, w, h, estimate);
  /* Ours: the pixels as read (RGBA floats) and the content image. */
  if (estimate->bytes > 0)
    estimate->bytes += (guint64) w * h * (4 + 3) * sizeof (float);
  return TRUE;
}

NsJob *
ns_stylise_get_job (NsStylise *st)
{
  return st->job;
}

int
ns_stylise_get_network (NsStylise *st)
{
  return st->network;
}

/* Iterations the job did at the finest scale (a run stopped earlier has
 * only an upsampled coarser result: 0). */
static int
finest_iterations (NsJob *job)
{
  NsJobStatus status;

  ns_job_get_status (job, &status);
  return status.n_scales > 0 && status.scale == status.n_scales - 1 ? status.iteration : 0;
}

GimpLayer *
ns_stylise_write_layer (NsStylise *st, const NsImage *result)
{
  NsPixels     *px = &st->pixels;
  GimpParasite *parasite;
  GimpLayer    *layer;
  char         *name;

  ns_image_to_interleaved (result, px->rgba, 4);   /* alpha stays */
  st->record.iterations_done += finest_iterations (st->job);
  parasite = ns_result_record_to_parasite (&st->record, st->image);
  if (st->continued)
    {
      name = g_strdup_printf (_("Neural Style (%s), %d iterations"), st->style_name,
                              st->record.iterations_done);
      layer = ns_layer_add_continued (st->image, GIMP_LAYER (st->drawable), px, name, parasite);
    }
  else
    {
      name = g_strdup_printf (_("Neural Style (%s)"), st->style_name);
      layer = ns_layer_add_result (st->image, st->drawable, px,
                                   !st->whole_layer &&
                                   ns_selection_is_partial (st->image, st->drawable, px->x,
                                                            px->y, px->width, px->height),
                                   name, parasite);
    }
  gimp_parasite_free (parasite);
  g_free (name);
  return layer;
}

void
ns_stylise_free (NsStylise *st)
{
  if (st == NULL)
    return;
  ns_job_free (st->job);            /* joins its worker before init_image goes */
  ns_image_free (st->init_image);
  ns_result_record_clear (&st->record);
  ns_pixels_clear (&st->pixels);
  g_free (st->style_name);
  g_free (st);
}

GimpLayer *
ns_stylise_run (GimpImage *image, GimpDrawable **drawables,
                const NsSettings *settings, GError **error)
{
  NsStylise *st = ns_stylise_prepare (image, drawables, settings, error);
  NsImage   *result;
  GimpLayer *layer = NULL;

  if (st == NULL)
    return NULL;
  result = run_job (st, error);
  if (result != NULL)
    layer = ns_stylise_write_layer (st, result);
  ns_image_free (result);
  ns_stylise_free (st);
  return layer;
}
