/* ns-continue.c: a result's record turned into the next run's inputs. */
#include "ns-continue.h"

#include "ns-i18n.h"
#include "ns-result-record.h"

/* The stored settings, checked for a style layer that has gone. */
static gboolean
stored_settings (const NsResultRecord *r, const NsSettings *given,
                 NsSettings *settings, GError **error)
{
  if (r->style_layer_name != NULL)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The style layer \"%s\" that this result was made with is no longer "
                     "open: open its image, or give the styles to use."),
                   r->style_layer_name);
      return FALSE;
    }
  ns_settings_copy (settings, &r->settings);
  settings->params.iterations = given->params.iterations;
  settings->threads = given->threads;
  return TRUE;
}

gboolean
ns_continuation_prepare (GimpImage *image, GimpLayer *result,
                         const NsSettings *given, NsContinuation *c,
                         GError **error)
{
  NsResultRecord r;
  GimpLayer     *source;
  gboolean       ok = FALSE;

  memset (c, 0, sizeof *c);
  if (!ns_result_record_read (result, &r, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("\"More iterations\" continues a layer that Neural Style made, and "
                       "\"%s\" is not one: select a Neural Style result."),
                     gimp_item_get_name (GIMP_ITEM (result)));
      return FALSE;
    }
  source = gimp_image_get_layer_by_tattoo (image, r.source_tattoo);
  if (source == NULL)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("The layer \"%s\" that this result was made from is no longer in the "
                   "image: \"More iterations\" needs it."), r.source_name);
  else if (gimp_drawable_get_width (GIMP_DRAWABLE (result)) != r.width ||
           gimp_drawable_get_height (GIMP_DRAWABLE (result)) != r.height)
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("The result layer has been resized since Neural Style made it: "
                   "\"More iterations\" needs it at its original size."));
  else if (ns_settings_name_a_style (given))
    {
      ns_settings_copy (&c->settings, given);
      ok = TRUE;
    }
  else
    ok = stored_settings (&r, given, &c->settings, error);
  if (ok)
    {
      c->source = GIMP_DRAWABLE (source);
      c->x = r.x;
      c->y = r.y;
      c->width = r.width;
      c->height = r.height;
      c->iterations_done = r.iterations_done;
    }
  ns_result_record_clear (&r);
  return ok;
}

void
ns_continuation_clear (NsContinuation *c)
{
  ns_settings_clear (&c->settings);
}
