/* ns-pool.c: a small free list of large blocks, keyed by exact size. */
#include "ns-pool.h"

#include "ns-error.h"

/* Below this, malloc's own free lists do the job. */
#define MIN_POOLED_BYTES ((gsize) 1 << 20)

typedef struct
{
  gpointer mem;
  gsize    bytes;
} Block;

static GMutex  lock;
static GArray *blocks;          /* of Block, oldest first */
static gsize   pooled_bytes;

gpointer
ns_pool_alloc (gsize n, gsize size, GError **error)
{
  gsize bytes = n * size;

  if (size != 0 && n <= G_MAXSIZE / size && bytes >= MIN_POOLED_BYTES)
    {
      g_mutex_lock (&lock);
      for (guint i = 0; blocks != NULL && i < blocks->len; i++)
        {
          Block b = g_array_index (blocks, Block, i);

          if (b.bytes == bytes)
            {
              g_array_remove_index (blocks, i);
              pooled_bytes -= bytes;
              g_mutex_unlock (&lock);
              return b.mem;
            }
        }
      g_mutex_unlock (&lock);
    }
  return ns_try_alloc (n, size, error);
}

void
ns_pool_free (gpointer mem, gsize n, gsize size)
{
  Block b = { mem, n * size };

  if (mem == NULL)
    return;
  if (b.bytes < MIN_POOLED_BYTES || b.bytes > NS_POOL_MAX_BYTES)
    {
      g_free (mem);
      return;
    }
  g_mutex_lock (&lock);
  if (blocks == NULL)
    blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_append_val (blocks, b);
  pooled_bytes += b.bytes;
  /* Over budget: the oldest blocks go first. */
  while (pooled_bytes > NS_POOL_MAX_BYTES && blocks->len > 0)
    {
      Block old = g_array_index (blocks, Block, 0);

      g_array_remove_index (blocks, 0);
      pooled_bytes -= old.bytes;
      g_free (old.mem);
    }
  g_mutex_unlock (&lock);
}

void
ns_pool_trim (void)
{
  g_mutex_lock (&lock);
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    g_free (g_array_index (blocks, Block, i).mem);
  if (blocks != NULL)
    g_array_set_size (blocks, 0);
  pooled_bytes = 0;
  g_mutex_unlock (&lock);
}
