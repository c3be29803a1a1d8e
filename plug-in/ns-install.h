/* ns-install.h: the procedure that installs network weights. */
#pragma once

#include <libgimp/gimp.h>

G_BEGIN_DECLS

#define NS_INSTALL_PROCEDURE_NAME "plug-in-neural-style-install-model"

GimpProcedure *ns_install_procedure_new (GimpPlugIn *plug_in);

G_END_DECLS
