/* ns-style-list.c: the list of style sources and their blend weights.
 *
 * The config's style arguments hold the truth: every edit here writes the
 * whole list to them, and a change made elsewhere (a result layer's
 * settings loaded, Reset) rebuilds the rows from them.
 */
#include "ns-style-list.h"

#include "ns-i18n.h"
#include "ns-preset-combo.h"
#include "ns-presets.h"
#include "ns-region-combo.h"
#include "ns-style-refs.h"
#include "ns-thumbnails.h"

#define THUMB_BOX    48
#define ROW_HEIGHT   (THUMB_BOX + 14)
#define ROWS_SHOWN   3     /* more scroll */

typedef struct
{
  GimpProcedureConfig *config;
  GimpImage           *image;        /* the content's: its regions */
  GArray              *refs;         /* of NsStyleRef, one per row */
  GtkWidget           *scrolled;     /* holds the rows */
  GtkWidget           *rows;         /* GtkListBox */
  GtkWidget           *layer_combo;  /* GimpLayerComboBox */
  GtkWidget           *preset_combo;
  gboolean             writing;      /* the config changes because of us */
  guint                reload_id;    /* idle: rows from the config */
} StyleList;

static void rebuild_rows (StyleList *l);

static void
write_config (StyleList *l)
{
  l->writing = TRUE;
  ns_style_refs_to_config (l->refs, l->config);
  l->writing = FALSE;
}

/* ----------------------------------------------------------------- rows */

/* Thumbnail, name and a line saying what kind of source @ref is. */
static void
describe (const NsStyleRef *ref, GdkPixbuf **thumb, char **name, char **kind)
{
  NsPreset *preset;
  char     *folder;

  switch (ref->kind)
    {
    case NS_STYLE_FILE:
      *thumb = ns_thumbnail_from_file (ref->file, THUMB_BOX);
      *name = g_path_get_basename (gimp_file_get_utf8_name (ref->file));
      folder = g_path_get_dirname (gimp_file_get_utf8_name (ref->file));
      *kind = g_strdup_printf (_("Image file in %s"), folder);
      g_free (folder);
      break;
    case NS_STYLE_LAYER:
      *thumb = ns_thumbnail_from_drawable (GIMP_DRAWABLE (ref->layer), THUMB_BOX);
      *name = g_strdup (gimp_item_get_name (GIMP_ITEM (ref->layer)));
      *kind = g_strdup_printf (_("Layer of %s"),
                               gimp_image_get_name (gimp_item_get_image (GIMP_ITEM (ref->layer))));
      break;
    default:
      preset = ns_preset_load (ref->preset, NULL);
      *thumb = preset ? ns_thumbnail_from_preset (preset, THUMB_BOX) : NULL;
      *name = g_strdup (preset ? preset->name : ref->preset);
      *kind = g_strdup (preset ? _("Bundled preset") : _("Unknown preset"));
      ns_preset_free (preset);
    }
}

static guint
row_index (GtkWidget *widget)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "ns-index"));
}

static void
on_weight_changed (GtkSpinButton *spin, StyleList *l)
{
  g_array_index (l->refs, NsStyleRef, row_index (GTK_WIDGET (spin))).weight =
    gtk_spin_button_get_value (spin);
  write_config (l);
}

static void
on_remove_clicked (GtkButton *button, StyleList *l)
{
  g_array_remove_index (l->refs, row_index (GTK_WIDGET (button)));
  write_config (l);
  rebuild_rows (l);
}

static GtkWidget *
weight_spin (StyleList *l, guint index)
{
  const NsStyleRef *ref = &g_array_index (l->refs, NsStyleRef, index);
  GtkAdjustment    *adjustment = gtk_adjustment_new (ref->weight, 0.0, 100.0, 0.1, 1.0, 0.0);
  GtkWidget        *spin = gtk_spin_button_new (adjustment, 0.1, 2);

  gtk_widget_set_tooltip_text (spin, _("Blend weight: this source's share of the style "
                                       "(0 leaves it out)"));
  g_object_set_data (G_OBJECT (spin), "ns-index", GUINT_TO_POINTER (index));
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_weight_changed), l);
  return spin;
}

static void
on_region_changed (GtkComboBox *combo, StyleList *l)
{
  int region;

  GtkWidget *thumb = g_object_get_data (G_OBJECT (combo), "ns-thumb");
  GdkPixbuf *pixbuf;

  if (!gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &region))
    return;
  g_array_index (l->refs, NsStyleRef, row_index (GTK_WIDGET (combo))).region = region;
  pixbuf = ns_region_thumbnail (l->image, region);
  gtk_image_set_from_pixbuf (GTK_IMAGE (thumb), pixbuf);
  g_clear_object (&pixbuf);
  write_config (l);
}

/* "Apply to", the row's region and a thumbnail of its mask. */
static GtkWidget *
region_choice (StyleList *l, guint index)
{
  int        region = g_array_index (l->refs, NsStyleRef, index).region;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("App_ly to"));
  GtkWidget *combo = ns_region_combo_new (l->image, region);
  GdkPixbuf *pixbuf = ns_region_thumbnail (l->image, region);
  GtkWidget *thumb = gtk_image_new_from_pixbuf (pixbuf);

  g_clear_object (&pixbuf);
  gtk_widget_set_size_request (thumb, 24, 24);
  g_object_set_data (G_OBJECT (combo), "ns-thumb", thumb);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), combo);
  g_object_set_data (G_OBJECT (combo), "ns-index", GUINT_TO_POINTER (index));
  g_signal_connect (combo, "changed", G_CALLBACK (on_region_changed), l);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), thumb, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), combo, FALSE, FALSE, 0);
  return box;
}

static GtkWidget *
build_row (StyleList *l, guint index)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *thumb = gtk_image_new (), *label = gtk_label_new (NULL), *remove;
  GdkPixbuf *pixbuf;
  char      *name, *kind, *markup;

  describe (&g_array_index (l->refs, NsStyleRef, index), &pixbuf, &name, &kind);
  gtk_image_set_from_pixbuf (GTK_IMAGE (thumb), pixbuf);
  gtk_widget_set_size_request (thumb, THUMB_BOX, THUMB_BOX);
  markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", name, kind);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  remove = gtk_button_new_from_icon_name (GIMP_ICON_EDIT_DELETE, GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_tooltip_text (remove, _("Remove this style source"));
  g_object_set_data (G_OBJECT (remove), "ns-index", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), l);
  gtk_box_pack_start (GTK_BOX (row), thumb, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (row), region_choice (l, index), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), weight_spin (l, index), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), remove, FALSE, FALSE, 0);
  g_clear_object (&pixbuf);
  g_free (markup);
  g_free (name);
  g_free (kind);
  return row;
}

static void
rebuild_rows (StyleList *l)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (l->rows));

  for (GList *c = children; c != NULL; c = c->next)
    gtk_widget_destroy (c->data);
  g_list_free (children);
  for (guint i = 0; i < l->refs->len; i++)
    gtk_list_box_insert (GTK_LIST_BOX (l->rows), build_row (l, i), -1);
  gtk_widget_show_all (l->rows);
  /* A shown dialog grows for a larger minimum size only: up to
   * ROWS_SHOWN rows are all visible, more scroll. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (l->scrolled),
                                              CLAMP ((int) l->refs->len, 1, ROWS_SHOWN) * ROW_HEIGHT);
}

static gboolean
reload_rows (gpointer data)
{
  StyleList *l = data;

  l->reload_id = 0;
  g_array_set_size (l->refs, 0);
  ns_style_refs_from_config (l->refs, l->config, NULL);
  rebuild_rows (l);
  return G_SOURCE_REMOVE;
}

/* The config changed elsewhere: show its sources, once for the dozen
 * notifications that setting them all sends. */
static void
on_config_notify (GObject *config, GParamSpec *pspec, StyleList *l)
{
  (void) config;
  if (!l->writing && l->reload_id == 0 && ns_style_refs_is_argument (pspec->name))
    l->reload_id = g_idle_add (reload_rows, l);
}

/* --------------------------------------------------------------- adding */

/* A preset as the only source brings its recommended settings. */
static void
apply_recommendations (StyleList *l, const char *id)
{
  NsPreset *preset = ns_preset_load (id, NULL);

  if (preset == NULL)
    return;
  ns_preset_recommend (preset, l->config);
  ns_preset_free (preset);
}

/* Adds a copy of @candidate unless the list has that source already, in
 * which case its weight gets the focus, or is full. */
static void
add_source (StyleList *l, const NsStyleRef *candidate)
{
  const NsStyleRef *added;

  for (guint i = 0; i < l->refs->len; i++)
    if (ns_style_ref_equal (&g_array_index (l->refs, NsStyleRef, i), candidate))
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (l->rows), (int) i);

        gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
        return;
      }
  if (l->refs->len >= NS_MAX_STYLES)
    {
      gtk_widget_error_bell (l->rows);
      return;
    }
  ns_style_refs_append (l->refs, candidate);
  added = &g_array_index (l->refs, NsStyleRef, l->refs->len - 1);
  if (l->refs->len == 1 && added->kind == NS_STYLE_PRESET)
    apply_recommendations (l, added->preset);
  write_config (l);
  rebuild_rows (l);
}

static GtkFileFilter *
file_filter (const char *name, const char *mime_type)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  else
    gtk_file_filter_add_pattern (filter, "*");
  return filter;
}

static void
on_add_file_clicked (GtkButton *button, StyleList *l)
{
  GtkWidget *chooser;
  GSList    *files = NULL;

  chooser = gtk_file_chooser_dialog_new (_("Add Style Images"),
                                         GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (button))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Cancel"), GTK_RESPONSE_CANCEL,
                                         _("_Add"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), file_filter (_("Images"), "image/*"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), file_filter (_("All files"), NULL));
  if (gtk_dialog_run (GTK_DIALOG (chooser)) == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
  gtk_widget_destroy (chooser);
  for (GSList *f = files; f != NULL; f = f->next)
    {
      NsStyleRef candidate = { NS_STYLE_FILE, f->data, NULL, NULL, 1.0, NS_REGION_EVERYWHERE,
                           NS_REGION_EVERYWHERE };

      add_source (l, &candidate);
    }
  g_slist_free_full (files, g_object_unref);
}

static void
on_add_layer_clicked (GtkButton *button, StyleList *l)
{
  NsStyleRef candidate = { NS_STYLE_LAYER, NULL, NULL, NULL, 1.0, NS_REGION_EVERYWHERE,
                           NS_REGION_EVERYWHERE };
  int        id;

  (void) button;
  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (l->layer_combo), &id) &&
      (candidate.layer = gimp_layer_get_by_id (id)) != NULL)
    add_source (l, &candidate);
}

static void
on_add_preset_clicked (GtkButton *button, StyleList *l)
{
  NsStyleRef candidate = { NS_STYLE_PRESET, NULL, NULL, NULL, 1.0, NS_REGION_EVERYWHERE,
                           NS_REGION_EVERYWHERE };

  (void) button;
  candidate.preset = (char *) gtk_combo_box_get_active_id (GTK_COMBO_BOX (l->preset_combo));
  if (candidate.preset != NULL)
    add_source (l, &candidate);
}

/* --------------------------------------------------------------- layout */

/* @chooser (a widget choosing what to add) with an Add button labelled
 * @label at its right; the buttons share one width through @buttons. */
static GtkWidget *
add_row (GtkWidget *chooser, const char *label, const char *tooltip,
         GCallback clicked, GtkSizeGroup *buttons, StyleList *l)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", clicked, l);
  gtk_size_group_add_widget (buttons, button);
  gtk_box_pack_start (GTK_BOX (row), chooser, TRUE, TRUE, 0);
  gtk_box_pack_end (GTK_BOX (row), button, FALSE, FALSE, 0);
  return row;
}

/* Stands where the other rows have their chooser. */
static GtkWidget *
file_hint (void)
{
  GtkWidget *hint = gtk_label_new (_("Image files, in any format GIMP opens"));

  gtk_label_set_xalign (GTK_LABEL (hint), 0.0);
  gtk_style_context_add_class (gtk_widget_get_style_context (hint), GTK_STYLE_CLASS_DIM_LABEL);
  return hint;
}

static GtkWidget *
build_rows (StyleList *l)
{
  GtkWidget *scrolled = l->scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *placeholder = gtk_label_new (_("No style yet: add an image file, a layer or a preset."));

  l->rows = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (l->rows), GTK_SELECTION_NONE);
  gtk_label_set_line_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_show (placeholder);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (l->rows), placeholder);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_container_add (GTK_CONTAINER (scrolled), l->rows);
  return scrolled;
}

static void
style_list_free (StyleList *l)
{
  g_clear_handle_id (&l->reload_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (l->config, l);
  g_array_unref (l->refs);
  g_free (l);
}

GtkWidget *
ns_style_list_new (GimpProcedureConfig *config, GimpImage *image)
{
  StyleList    *l = g_new0 (StyleList, 1);
  GtkWidget    *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkSizeGroup *buttons = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  l->config = config;
  l->image = image;
  l->refs = ns_style_refs_new ();
  ns_style_refs_from_config (l->refs, config, NULL);
  l->layer_combo = gimp_layer_combo_box_new (NULL, NULL, NULL);
  l->preset_combo = ns_preset_combo_new ();
  gtk_box_pack_start (GTK_BOX (box), build_rows (l), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box),
                      add_row (file_hint (), _("Add image _file…"), _("Add one or more image files as styles"),
                               G_CALLBACK (on_add_file_clicked), buttons, l), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box),
                      add_row (l->layer_combo, _("Add la_yer"), _("Add the chosen layer as a style"),
                               G_CALLBACK (on_add_layer_clicked), buttons, l), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box),
                      add_row (l->preset_combo, _("Add _bundled preset"),
                               _("Add the chosen preset as a style; as the only style it also "
                                 "sets its recommended strength, scale and colours"),
                               G_CALLBACK (on_add_preset_clicked), buttons, l), FALSE, FALSE, 0);
  g_object_unref (buttons);
  rebuild_rows (l);
  g_signal_connect (config, "notify", G_CALLBACK (on_config_notify), l);
  g_object_set_data_full (G_OBJECT (box), "ns-style-list", l, (GDestroyNotify) style_list_free);
  return box;
}
