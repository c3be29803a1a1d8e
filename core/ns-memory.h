/* ns-memory.h: what the machine has and what this process used.
 *
 * Linux's /proc and cgroup files; elsewhere every answer is "unknown" (0 or
 * FALSE), and callers then simply do not warn or measure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes that can still be allocated without swapping: MemAvailable, or less
 * when this process's cgroup has a lower limit left.  0: unknown. */
guint64  ns_memory_available (void);

/* Starts a peak measurement: gives freed heap memory back to the system and
 * resets the process's resident high-water mark to what it holds now.
 * FALSE when peaks cannot be measured here. */
gboolean ns_memory_peak_begin (guint64 *resident_now);
/* The resident high-water mark since ns_memory_peak_begin (), in bytes. */
guint64  ns_memory_peak_end   (void);

G_END_DECLS
