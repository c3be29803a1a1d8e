/* fuzz-download.c: what a web server answers to the model download.
 *
 * The input is the server's side of the whole exchange: raw responses
 * (status line, headers, body), one per connection in the order they are
 * asked for, separated by RESPONSE_SEPARATOR; a connection past the last
 * one is closed unanswered.  A server thread on loopback plays them to the
 * real ns_model_download (libcurl, ranges, resume, validation) into a
 * private model folder, which is emptied before each input. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "ns-download.h"
#include "ns-model-store.h"

#define RESPONSE_SEPARATOR "\n@@\n"
#define MAX_REQUEST_BYTES  8192

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static struct
{
  GMutex        lock;
  int           listener;
  char         *url;
  GPtrArray    *responses;     /* GBytes, this input's */
  guint         next;          /* the response the next connection gets */
} server;

/* Reads a request up to its blank line (or 1 s of silence). */
static void
read_request (int fd)
{
  char   buffer[MAX_REQUEST_BYTES + 1];
  gsize  have = 0;
  ssize_t got;

  while (have < MAX_REQUEST_BYTES &&
         (got = recv (fd, buffer + have, MAX_REQUEST_BYTES - have, 0)) > 0)
    {
      have += (gsize) got;
      buffer[have] = '\0';
      if (strstr (buffer, "\r\n\r\n") != NULL)
        break;
    }
}

static gpointer
serve (gpointer unused)
{
  (void) unused;
  for (;;)
    {
      int             fd = accept (server.listener, NULL, NULL);
      struct timeval  second = { 1, 0 };
      GBytes         *answer = NULL;

      if (fd < 0)
        continue;
      setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
      read_request (fd);
      g_mutex_lock (&server.lock);
      if (server.responses != NULL && server.next < server.responses->len)
        answer = g_bytes_ref (g_ptr_array_index (server.responses, server.next++));
      g_mutex_unlock (&server.lock);
      if (answer != NULL)
        {
          gsize       n;
          const char *bytes = g_bytes_get_data (answer, &n);

          /* The client may hang up early (it stops a body it does not
           * want): errors here are expected. */
          for (gsize sent = 0; sent < n;)
            {
              ssize_t s = send (fd, bytes + sent, n - sent, MSG_NOSIGNAL);

              if (s <= 0)
                break;
              sent += (gsize) s;
            }
          g_bytes_unref (answer);
        }
      shutdown (fd, SHUT_RDWR);
      close (fd);
    }
  return NULL;
}

static void
start_server (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t          length = sizeof address;
  char              *home = g_dir_make_tmp ("ns-fuzz-download-XXXXXX", NULL);

  /* The model folder is under XDG_DATA_HOME, read once by GLib. */
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_free (home);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  server.listener = socket (AF_INET, SOCK_STREAM, 0);
  if (server.listener < 0 ||
      bind (server.listener, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (server.listener, 16) != 0 ||
      getsockname (server.listener, (struct sockaddr *) &address, &length) != 0)
    abort ();
  server.url = g_strdup_printf ("http://127.0.0.1:%d/vgg19.safetensors", ntohs (address.sin_port));
  g_thread_new ("fuzz-server", serve, NULL);
}

/* A redirect elsewhere would leave loopback (and wait on DNS): the header
 * is renamed, whatever its case, so libcurl ignores it.  Bodies hold NUL
 * bytes, so nothing here stops at one. */
static void
keep_on_loopback (char *response, gsize n)
{
  static const char name[] = "location:";
  gsize             len = sizeof name - 1;

  for (gsize i = 0; i + len <= n; i++)
    if (g_ascii_strncasecmp (response + i, name, len) == 0)
      response[i] = 'X';
}

static GPtrArray *
split_responses (const uint8_t *data, size_t size)
{
  GPtrArray  *responses = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *at = (const char *) data, *end = at + size;
  gsize       separator = strlen (RESPONSE_SEPARATOR);

  while (at <= end)
    {
      const char *next = memmem (at, (gsize) (end - at), RESPONSE_SEPARATOR, separator);
      gsize       n = (gsize) ((next != NULL ? next : end) - at);
      char       *copy = g_memdup2 (at, n);

      keep_on_loopback (copy, n);
      g_ptr_array_add (responses, g_bytes_new_take (copy, n));
      if (next == NULL)
        break;
      at = next + separator;
    }
  return responses;
}

/* Nothing from the last input may be resumed by this one. */
static void
empty_model_dir (void)
{
  char       *dir = ns_model_dir ();
  GDir       *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
      g_free (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_free (dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gsize started;
  GPtrArray   *responses = split_responses (data, size);
  GError      *error = NULL;
  gboolean     ok;

  if (g_once_init_enter (&started))
    {
      start_server ();
      g_once_init_leave (&started, 1);
    }
  empty_model_dir ();
  g_mutex_lock (&server.lock);
  server.responses = responses;
  server.next = 0;
  g_mutex_unlock (&server.lock);

  ok = ns_model_download (NS_MODEL_VGG19, server.url, NS_DOWNLOAD_QUICK, NULL, NULL, NULL, NULL, &error);
  if (g_getenv ("NS_FUZZ_VERBOSE") != NULL)     /* to see how deep a seed gets */
    g_printerr ("download: %s\n", ok ? "installed" : error->message);
  if (!ok)
    {
      /* Every failure explains itself. */
      if (error == NULL || error->message == NULL || error->message[0] == '\0')
        abort ();
    }
  else if (error != NULL)
    abort ();
  g_clear_error (&error);

  g_mutex_lock (&server.lock);
  server.responses = NULL;
  g_mutex_unlock (&server.lock);
  g_ptr_array_unref (responses);
  return 0;
}
