/* ns-i18n.h: gettext for the plug-in and its dialog.
 *
 * libgimp binds the domain named like the plug-in's folder to
 * <plugindir>/neural-style/locale before it calls us; gi18n-lib.h looks
 * strings up in that domain whatever the process's default one is.
 */
#pragma once

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "neural-style"
#endif
#include <glib/gi18n-lib.h>
