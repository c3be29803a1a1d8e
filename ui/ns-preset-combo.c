/* ns-preset-combo.c: choosing a bundled style preset. */
#include "ns-preset-combo.h"

#include "ns-i18n.h"
#include "ns-presets.h"
#include "ns-thumbnails.h"

#define THUMB_SIZE 48

enum
{
  COL_ID,
  COL_THUMB,
  COL_LABEL,
  N_COLS
};

static void
on_changed (GtkComboBox *combo, GimpProcedureConfig *config)
{
  const char *id = gtk_combo_box_get_active_id (combo);
  NsPreset   *preset;

  g_object_set (config, "style-preset", id != NULL ? id : "", NULL);
  if (id == NULL || *id == '\0' || (preset = ns_preset_load (id, NULL)) == NULL)
    return;
  g_object_set (config,
                "style-weight",    preset->style_strength,
                "style-scale",     preset->style_scale,
                "preserve-colors", preset->keep_colours,
                "tv-weight",       preset->smoothness,
                NULL);
  ns_preset_free (preset);
}

/* The preset's thumbnail: its image file, or GIMP's pattern tiled. */
static GdkPixbuf *
preset_thumbnail (const NsPreset *preset)
{
  NsImage   *style;
  GdkPixbuf *pixbuf;
  GFile     *file;

  if (preset->image_path != NULL)
    {
      file = g_file_new_for_path (preset->image_path);
      pixbuf = ns_thumbnail_from_file (file, THUMB_SIZE);
      g_object_unref (file);
      return pixbuf;
    }
  style = ns_preset_style (preset, NULL);
  pixbuf = style != NULL ? ns_thumbnail_from_image (style, THUMB_SIZE) : NULL;
  ns_image_free (style);
  return pixbuf;
}

GtkWidget *
ns_preset_combo_new (GimpProcedureConfig *config)
{
  GtkListStore    *store = gtk_list_store_new (N_COLS, G_TYPE_STRING, GDK_TYPE_PIXBUF, G_TYPE_STRING);
  GPtrArray       *presets = ns_presets_load_all ();
  GtkWidget       *combo;
  GtkCellRenderer *cell;
  char            *current = NULL;

  gtk_list_store_insert_with_values (store, NULL, -1, COL_ID, "",
                                     COL_LABEL, _("(no preset)"), -1);
  for (guint i = 0; i < presets->len; i++)
    {
      NsPreset  *p = g_ptr_array_index (presets, i);
      GdkPixbuf *thumb = preset_thumbnail (p);
      char      *label = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", p->name,
                                                  p->description ? p->description : "");

      gtk_list_store_insert_with_values (store, NULL, -1, COL_ID, p->id, COL_THUMB, thumb,
                                         COL_LABEL, label, -1);
      g_clear_object (&thumb);
      g_free (label);
    }
  g_ptr_array_unref (presets);

  combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (store));
  g_object_unref (store);
  gtk_combo_box_set_id_column (GTK_COMBO_BOX (combo), COL_ID);
  cell = gtk_cell_renderer_pixbuf_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), cell, "pixbuf", COL_THUMB);
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 28, NULL);
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), cell, "markup", COL_LABEL);

  /* Show the remembered preset without applying its recommendations over
   * the remembered settings: connect after setting it. */
  g_object_get (config, "style-preset", &current, NULL);
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), current ? current : ""))
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  g_free (current);
  g_signal_connect (combo, "changed", G_CALLBACK (on_changed), config);
  gtk_widget_set_tooltip_text (combo, _("A style bundled with the plug-in; choosing one also sets its recommended strength, scale and colours"));
  return combo;
}
