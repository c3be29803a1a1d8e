/* ns-estimate-label.h: a label that says, before a run, how long Apply
 * would take and how much memory it would need, and warns when that is more
 * memory than the computer has free.
 *
 * It follows the config: any change recomputes the estimate.  The figures
 * come from a quick measurement of the chosen network on this computer
 * (ns-calibration.h), made once per network on a worker thread.  A run must
 * not share the cores with that measurement: pause the label before
 * starting one and resume it after.
 */
#pragma once

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

GtkWidget *ns_estimate_label_new    (GimpProcedureConfig *config,
                                     GimpDrawable *drawable);
/* Cancels and joins a measurement under way; no new one until resumed. */
void       ns_estimate_label_pause  (GtkWidget *label);
void       ns_estimate_label_resume (GtkWidget *label);
/* Measures again a network that could not be measured (just installed). */
void       ns_estimate_label_refresh (GtkWidget *label);

G_END_DECLS
