/* ns-pool.h: reuse of large buffers between iterations.
 *
 * An optimisation iteration allocates the same large buffers (activations,
 * im2col columns, gradients) as the one before.  Fresh large blocks come
 * from mmap and cost a page fault per 4 KiB on first touch; keeping freed
 * blocks for the next request of the same size avoids that.  Blocks are not
 * zeroed.  The pool holds at most its limit (NS_POOL_DEFAULT_LIMIT unless
 * set: a run sets what its plan gives the network's evaluations, so that
 * every block of a tile size stays in it); ns_pool_trim () gives
 * everything back (the optimiser calls it when a run ends).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_POOL_DEFAULT_LIMIT ((gsize) 1 << 30)

gpointer ns_pool_alloc (gsize n, gsize size, GError **error);
void     ns_pool_free  (gpointer mem, gsize n, gsize size);
/* The most the pool keeps of freed blocks; takes effect as blocks come
 * back. */
void     ns_pool_set_limit (gsize bytes);
void     ns_pool_trim  (void);

G_END_DECLS
