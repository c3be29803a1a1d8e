/* ns-pool.c: a small free list of large blocks, best fit.
 *
 * Tiles of one image come in a few sizes (inner ones, those at the
 * edges), so a request takes the smallest free block that holds it if
 * that is at most a quarter larger; the real size of every block handed
 * out is remembered, so the caller frees with the size it asked for. */
#include "ns-pool.h"

#include "ns-error.h"

/* Under AddressSanitizer, blocks in the pool and the slack of a block
 * handed out larger than asked are poisoned: reuse would otherwise hide
 * use after free and overflows from it. */
#if defined (__SANITIZE_ADDRESS__)
# define NS_POOL_ASAN 1
#elif defined (__has_feature)
# if __has_feature (address_sanitizer)
#  define NS_POOL_ASAN 1
# endif
#endif
#ifdef NS_POOL_ASAN
# include <sanitizer/asan_interface.h>
# define POISON(mem, bytes)   ASAN_POISON_MEMORY_REGION ((mem), (bytes))
# define UNPOISON(mem, bytes) ASAN_UNPOISON_MEMORY_REGION ((mem), (bytes))
#else
# define POISON(mem, bytes)   ((void) (mem), (void) (bytes))
# define UNPOISON(mem, bytes) ((void) (mem), (void) (bytes))
#endif

/* Below this, malloc's own free lists do the job. */
#define MIN_POOLED_BYTES ((gsize) 1 << 16)

typedef struct
{
  gpointer mem;
  gsize    bytes;
} Block;

static GMutex      lock;
static GArray     *blocks;      /* of Block, oldest first */
static gsize       pooled_bytes;
static gsize       limit = NS_POOL_DEFAULT_LIMIT;
static GHashTable *lent;        /* mem -> its real size, of blocks handed out
                                   larger than asked */

/* The real size of @mem, asked for as @bytes. */
static gsize
real_bytes (gpointer mem, gsize bytes)
{
  gpointer value;

  if (lent != NULL && g_hash_table_steal_extended (lent, mem, NULL, &value))
    return GPOINTER_TO_SIZE (value);
  return bytes;
}

gpointer
ns_pool_alloc (gsize n, gsize size, GError **error)
{
  gsize bytes = n * size;

  if (size != 0 && n <= G_MAXSIZE / size && bytes >= MIN_POOLED_BYTES)
    {
      int best = -1;

      g_mutex_lock (&lock);
      for (guint i = 0; blocks != NULL && i < blocks->len; i++)
        {
          gsize have = g_array_index (blocks, Block, i).bytes;

          if (have >= bytes && have - bytes <= bytes / 4 &&
              (best < 0 || have < g_array_index (blocks, Block, best).bytes))
            best = (int) i;
        }
      if (best >= 0)
        {
          Block b = g_array_index (blocks, Block, best);

          g_array_remove_index (blocks, best);
          pooled_bytes -= b.bytes;
          if (b.bytes != bytes)
            {
              if (lent == NULL)
                lent = g_hash_table_new (NULL, NULL);
              g_hash_table_insert (lent, b.mem, GSIZE_TO_POINTER (b.bytes));
            }
          g_mutex_unlock (&lock);
          UNPOISON (b.mem, bytes);
          return b.mem;
        }
      g_mutex_unlock (&lock);
    }
  return ns_try_alloc (n, size, error);
}

/* Gives a pooled block back to the allocator. */
static void
release (Block b)
{
  UNPOISON (b.mem, b.bytes);
  g_free (b.mem);
}

void
ns_pool_free (gpointer mem, gsize n, gsize size)
{
  Block b = { mem, n * size };

  if (mem == NULL)
    return;
  g_mutex_lock (&lock);
  b.bytes = real_bytes (mem, b.bytes);
  if (b.bytes < MIN_POOLED_BYTES || b.bytes > limit)
    {
      g_mutex_unlock (&lock);
      g_free (mem);
      return;
    }
  if (blocks == NULL)
    blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  POISON (b.mem, b.bytes);
  g_array_append_val (blocks, b);
  pooled_bytes += b.bytes;
  /* Over budget: the oldest blocks go first. */
  while (pooled_bytes > limit && blocks->len > 0)
    {
      Block old = g_array_index (blocks, Block, 0);

      g_array_remove_index (blocks, 0);
      pooled_bytes -= old.bytes;
      release (old);
    }
  g_mutex_unlock (&lock);
}

void
ns_pool_set_limit (gsize bytes)
{
  g_mutex_lock (&lock);
  limit = bytes;
  g_mutex_unlock (&lock);
}

void
ns_pool_trim (void)
{
  g_mutex_lock (&lock);
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    release (g_array_index (blocks, Block, i));
  if (blocks != NULL)
    g_array_set_size (blocks, 0);
  pooled_bytes = 0;
  g_mutex_unlock (&lock);
}
