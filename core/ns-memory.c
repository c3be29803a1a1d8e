/* ns-memory.c: /proc/meminfo, the cgroup v2 limit and VmHWM. */
#include "ns-memory.h"

#include "ns-pool.h"

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* The value in kB after @key in a "Key:   1234 kB" file, in bytes; 0 if absent. */
static guint64
read_kb_field (const char *path, const char *key)
{
  char    *text = NULL, *at;
  guint64  kb = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  at = strstr (text, key);
  if (at != NULL)
    kb = g_ascii_strtoull (at + strlen (key), NULL, 10);
  g_free (text);
  return kb * 1024;
}

/* A number from a one-line file; FALSE when missing or "max". */
static gboolean
read_number_file (const char *path, guint64 *value)
{
  char     *text = NULL, *end;
  gboolean  ok;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  *value = g_ascii_strtoull (text, &end, 10);
  ok = end != text;
  g_free (text);
  return ok;
}

/* Room left under the cgroup v2 memory limit of this process, if any. */
static gboolean
cgroup_room (guint64 *room)
{
  char    *line = NULL, *limit_path, *current_path;
  guint64  limit = 0, current = 0;
  gboolean ok;

  /* /proc/self/cgroup holds "0::/path" under cgroup v2. */
  if (!g_file_get_contents ("/proc/self/cgroup", &line, NULL, NULL) ||
      !g_str_has_prefix (line, "0::"))
    {
      g_free (line);
      return FALSE;
    }
  g_strchomp (line);
  limit_path = g_build_filename ("/sys/fs/cgroup", line + 3, "memory.max", NULL);
  current_path = g_build_filename ("/sys/fs/cgroup", line + 3, "memory.current", NULL);
  ok = read_number_file (limit_path, &limit) && read_number_file (current_path, &current);
  *room = ok && limit > current ? limit - current : 0;
  g_free (limit_path);
  g_free (current_path);
  g_free (line);
  return ok;
}

guint64
ns_memory_available (void)
{
  guint64 available = read_kb_field ("/proc/meminfo", "MemAvailable:");
  guint64 room;

  if (cgroup_room (&room) && (available == 0 || room < available))
    available = room;
  return available;
}

gboolean
ns_memory_peak_begin (guint64 *resident_now)
{
  FILE *f;

  ns_pool_trim ();          /* idle pooled buffers would be reused unseen */
#ifdef __GLIBC__
  malloc_trim (0);          /* else freed, still resident heap hides a peak */
#endif
  /* Writing 5 resets VmHWM to the current RSS (Linux >= 4.0). */
  f = fopen ("/proc/self/clear_refs", "w");
  if (f == NULL)
    return FALSE;
  if (fputs ("5", f) < 0)
    {
      fclose (f);
      return FALSE;
    }
  if (fclose (f) != 0)
    return FALSE;
  *resident_now = read_kb_field ("/proc/self/status", "VmRSS:");
  return *resident_now > 0;
}

guint64
ns_memory_peak_end (void)
{
  return read_kb_field ("/proc/self/status", "VmHWM:");
}
