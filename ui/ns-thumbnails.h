/* ns-thumbnails.h: pictures for the dialog: core images, files, layers and
 * presets as GdkPixbufs no larger than a box, aspect ratio kept. */
#pragma once

#include <libgimp/gimp.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "ns-image.h"
#include "ns-presets.h"

G_BEGIN_DECLS

/* A 3-channel core image (values 0..1) fitted into @box x @box, enlarged
 * if smaller. */
GdkPixbuf *ns_thumbnail_from_image    (const NsImage *image, int box);
/* An image file (formats GdkPixbuf reads), or NULL. */
GdkPixbuf *ns_thumbnail_from_file     (GFile *file, int box);
/* A layer or other drawable, or NULL. */
GdkPixbuf *ns_thumbnail_from_drawable (GimpDrawable *drawable, int box);
/* A preset's style image, or its GIMP pattern tiled; NULL if unreadable. */
GdkPixbuf *ns_thumbnail_from_preset   (const NsPreset *preset, int box);

G_END_DECLS
