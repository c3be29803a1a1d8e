/* ns-threads.h: how many threads the core's maths may use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Caps OpenBLAS (and the core's own loops) at @n threads; n < 1 means one
 * per processor.  Call before a run, not during one. */
void ns_set_num_threads (int n);
int  ns_get_num_threads (void);

G_END_DECLS
