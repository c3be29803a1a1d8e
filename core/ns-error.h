/* ns-error.h: the core's error domain.
 *
 * The core never prints prose for users: it reports a code (which the
 * plug-in turns into a translated message) and a short English detail for
 * logs and developers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_ERROR (ns_error_quark ())

typedef enum
{
  NS_ERROR_INVALID_ARGUMENT,   /* a caller passed something out of range */
  NS_ERROR_NO_MEMORY,          /* a buffer could not be allocated */
  NS_ERROR_IMAGE_TOO_SMALL,    /* an image smaller than the network can use */
  NS_ERROR_CANCELLED,          /* the cancel flag was raised */
  NS_ERROR_BAD_WEIGHTS,        /* a weights file is corrupt or of a wrong shape */
  NS_ERROR_IO,                 /* a file could not be read */
  NS_ERROR_WRITE,              /* a file could not be written: disk full,
                                  read-only folder */
  NS_ERROR_DOWNLOAD,           /* a server failed or sent a wrong answer */
  NS_ERROR_CHECKSUM            /* a downloaded file is not the published one */
} NsError;

GQuark ns_error_quark (void);

/* g_try_malloc for n elements of size bytes, with overflow check and a
 * NS_ERROR_NO_MEMORY error instead of an abort.  Zero-filled. */
gpointer ns_try_alloc0 (gsize n, gsize size, GError **error);   /* 64-byte aligned */
/* The same without zero-filling, for buffers written in full before use. */
gpointer ns_try_alloc  (gsize n, gsize size, GError **error);

/* Fault injection, for tests: the call after the next @n calls of the two
 * above fails as if memory had run out (0: the next one), once; -1 turns
 * it off.  ns_try_alloc_calls counts the calls since then. */
void     ns_try_alloc_fail_after (int n);
int      ns_try_alloc_calls      (void);

G_END_DECLS
