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

static GtkListStore *
preset_store (void)
{
  GtkListStore *store = gtk_list_store_new (N_COLS, G_TYPE_STRING, GDK_TYPE_PIXBUF, G_TYPE_STRING);
  GPtrArray    *presets = ns_presets_load_all ();

  for (guint i = 0; i < presets->len; i++)
    {
      NsPreset  *p = g_ptr_array_index (presets, i);
      GdkPixbuf *thumb = ns_thumbnail_from_preset (p, THUMB_SIZE);
      char      *label = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", p->name,
                                                  p->description ? p->description : "");

      gtk_list_store_insert_with_values (store, NULL, -1, COL_ID, p->id, COL_THUMB, thumb,
                                         COL_LABEL, label, -1);
      /* What the list shows, for tests and bug reports. */
      g_debug ("preset %s: %s: %s (thumbnail %d x %d)", p->id, p->name,
               p->description ? p->description : "",
               thumb ? gdk_pixbuf_get_width (thumb) : 0, thumb ? gdk_pixbuf_get_height (thumb) : 0);
      g_clear_object (&thumb);
      g_free (label);
    }
  g_ptr_array_unref (presets);
  return store;
}

GtkWidget *
ns_preset_combo_new (void)
{
  GtkListStore    *store = preset_store ();
  GtkWidget       *combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (store));
  GtkCellRenderer *cell;

  g_object_unref (store);
  gtk_combo_box_set_id_column (GTK_COMBO_BOX (combo), COL_ID);
  cell = gtk_cell_renderer_pixbuf_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), cell, "pixbuf", COL_THUMB);
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 28, NULL);
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), cell, "markup", COL_LABEL);
  gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  gtk_widget_set_tooltip_text (combo, _("A style bundled with the plug-in"));
  return combo;
}
