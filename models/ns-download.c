/* ns-download.c: range-aware, resumable, verified and validated model
 * downloads. */
#include "ns-download.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "ns-error.h"
#include "ns-model-source.h"
#include "ns-network.h"
#include "ns-safetensors.h"
#include "ns-vgg.h"

#define MAX_HEADER_BYTES (100u << 20)

typedef struct
{
  const char        *url;
  NsInstallProgress  progress;
  gpointer           data;
  const gint        *cancel;
  guint64            done_before;    /* bytes of the output already there */
  guint64            total;          /* of the output, 0 if unknown */
  /* The current request. */
  GByteArray        *memory;         /* body to memory, or */
  FILE              *file;           /* body appended to a file */
  guint64            memory_limit;
  guint64            received;
  guint64            range_total;    /* from Content-Range, 0 if none */
  long               status;
  int                write_errno;    /* why writing the body failed, 0: it did not */
  const char        *partial;        /* the file written, for messages */
} Fetch;

static size_t
on_header (char *line, size_t size, size_t n, void *userdata)
{
  Fetch  *f = userdata;
  gsize   len = size * n;
  char   *text = g_strndup (line, len);

  if (g_ascii_strncasecmp (text, "content-range:", 14) == 0)
    {
      const char *slash = strrchr (text, '/');

      if (slash != NULL)
        f->range_total = g_ascii_strtoull (slash + 1, NULL, 10);
    }
  g_free (text);
  return len;
}

static size_t
on_body (char *bytes, size_t size, size_t n, void *userdata)
{
  Fetch *f = userdata;
  gsize  len = size * n;

  if (f->memory != NULL)
    {
      /* A server that ignores Range sends everything: stop it early. */
      if (f->memory->len + len > f->memory_limit)
        return 0;
      g_byte_array_append (f->memory, (const guint8 *) bytes, len);
    }
  else if (fwrite (bytes, 1, len, f->file) != len)
    {
      f->write_errno = errno != 0 ? errno : EIO;
      return 0;
    }
  f->received += len;
  return len;
}

static int
on_transfer (void *userdata, curl_off_t dltotal, curl_off_t dlnow,
             curl_off_t ultotal, curl_off_t ulnow)
{
  Fetch *f = userdata;

  (void) dltotal; (void) dlnow; (void) ultotal; (void) ulnow;
  if (f->cancel != NULL && g_atomic_int_get (f->cancel))
    return 1;
  if (f->progress != NULL && f->file != NULL)
    f->progress (f->done_before + f->received, f->total, f->data);
  return 0;
}

/* GET @url, bytes [begin, end] (end G_MAXUINT64: to the end; begin 0 and
 * end G_MAXUINT64: no Range header), into f->memory or f->file. */
static CURLcode
fetch (Fetch *f, guint64 begin, guint64 end)
{
  CURL    *curl = curl_easy_init ();
  char    *range = NULL;
  CURLcode code;

  if (curl == NULL)
    return CURLE_FAILED_INIT;
  f->received = 0;
  f->range_total = 0;
  f->status = 0;
  f->write_errno = 0;
  if (begin != 0 || end != G_MAXUINT64)
    range = end == G_MAXUINT64
      ? g_strdup_printf ("%" G_GUINT64_FORMAT "-", begin)
      : g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, begin, end);
  curl_easy_setopt (curl, CURLOPT_URL, f->url);
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 30L);
  /* A stalled server: under 1 KB/s for a minute ends the request. */
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "neural-style-gimp");
  if (range != NULL)
    curl_easy_setopt (curl, CURLOPT_RANGE, range);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, f);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, f);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_transfer);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, f);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &f->status);
  curl_easy_cleanup (curl);
  g_free (range);
  if (f->file != NULL && fflush (f->file) != 0 && f->write_errno == 0)
    {
      f->write_errno = errno;
      code = CURLE_WRITE_ERROR;
    }
  return code;
}

static gboolean
write_failed (const char *path, int errsv, GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_WRITE, "cannot write %s: %s", path, g_strerror (errsv));
  return FALSE;
}

static gboolean
fetch_failed (Fetch *f, CURLcode code, GError **error)
{
  if (code == CURLE_ABORTED_BY_CALLBACK)
    g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "download cancelled");
  else if (code == CURLE_WRITE_ERROR && f->write_errno != 0)
    write_failed (f->partial, f->write_errno, error);
  else if (code == CURLE_HTTP_RETURNED_ERROR)
    g_set_error (error, NS_ERROR, NS_ERROR_DOWNLOAD, "%s: the server answered HTTP %ld",
                 f->url, f->status);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_DOWNLOAD, "%s: %s", f->url, curl_easy_strerror (code));
  return FALSE;
}

/* Bytes [begin, end) of the remote file into memory. */
static GByteArray *
fetch_to_memory (Fetch *f, guint64 begin, guint64 end, GError **error)
{
  CURLcode code;

  f->memory = g_byte_array_new ();
  f->memory_limit = end - begin;
  code = fetch (f, begin, end - 1);
  if (code != CURLE_OK || f->memory->len != end - begin)
    {
      if (code == CURLE_OK)
        g_set_error (error, NS_ERROR, NS_ERROR_DOWNLOAD, "%s: short answer", f->url);
      else
        fetch_failed (f, code, error);
      g_byte_array_unref (f->memory);
      f->memory = NULL;
      return NULL;
    }
  return g_steal_pointer (&f->memory);
}

/* The remote header (range mode): its safetensors description. */
static NsSafetensors *
fetch_header (Fetch *f, guint64 file_size, guint64 *data_start, GError **error)
{
  GByteArray    *bytes = fetch_to_memory (f, 0, 8, error);
  guint64        n = 0;
  NsSafetensors *st;

  if (bytes == NULL)
    return NULL;
  for (int i = 7; i >= 0; i--)
    n = (n << 8) | bytes->data[i];
  g_byte_array_unref (bytes);
  if (n > MAX_HEADER_BYTES || n + 8 > file_size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                   "%s is not a safetensors file (header length)", f->url);
      return NULL;
    }
  bytes = fetch_to_memory (f, 8, 8 + n, error);
  if (bytes == NULL)
    return NULL;
  st = ns_safetensors_parse_header ((const char *) bytes->data, n, file_size - 8 - n, error);
  g_byte_array_unref (bytes);
  *data_start = 8 + n;
  return st;
}

static FILE *
open_partial (const char *path, const char *mode, GError **error)
{
  FILE *file = g_fopen (path, mode);

  if (file == NULL)
    write_failed (path, errno, error);
  return file;
}

static guint64
file_size_of (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Range mode: writes (or completes) @partial as a safetensors file of the
 * network's tensors only.  Output layout: 8-byte length, our header, then
 * the tensors in order, so any output offset maps to one source offset. */
static gboolean
download_subset (Fetch *f, guint64 file_size, const char *partial, GError **error)
{
  NsSafetensors *st;
  NsModelSubset  subset = { 0 };
  guint64        data_start, have = 0, out;
  gboolean       ok, same = FALSE;
  FILE          *file = NULL;

  st = fetch_header (f, file_size, &data_start, error);
  if (st == NULL)
    return FALSE;
  ok = ns_model_subset_init (&subset, st, f->url, error);
  if (ok)
    {
      f->total = subset.head_len + subset.data_size;
      /* Resume only a partial file that starts with exactly this head. */
      have = file_size_of (partial);
      if (have >= subset.head_len && have <= f->total)
        {
          char *old = g_malloc (subset.head_len);
          FILE *in = g_fopen (partial, "rb");

          same = in != NULL && fread (old, 1, subset.head_len, in) == subset.head_len &&
                 memcmp (old, subset.head, subset.head_len) == 0;
          if (in != NULL)
            fclose (in);
          g_free (old);
        }
      file = open_partial (partial, same ? "ab" : "wb", error);
      ok = file != NULL;
      if (ok && !same)
        {
          ok = (fwrite (subset.head, 1, subset.head_len, file) == subset.head_len &&
                fflush (file) == 0) ||
               write_failed (partial, errno, error);
          have = subset.head_len;
        }
    }

/* Each tensor's bytes, from where the partial file stops. */
  out = subset.head_len;
  for (int i = 0; ok && i < 2 * NS_VGG19_CONVS; i++)
    {
      const NsTensorInfo *info = ns_safetensors_find (st, subset.names[i]);
      guint64             len = info->end - info->begin, skip;
      CURLcode            code;

      if (have >= out + len)
        {
          out += len;
          continue;
        }
      skip = have > out ? have - out : 0;
      f->file = file;
      f->done_before = have;
      code = fetch (f, data_start + info->begin + skip, data_start + info->end - 1);
      f->file = NULL;
      have += f->received;
      if (code != CURLE_OK)
        ok = fetch_failed (f, code, error);
      else if (f->status != 206 || f->received != len - skip)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_DOWNLOAD,
                       "%s: the server stopped honouring ranges", f->url);
          ok = FALSE;
        }
      out += len;
    }

  if (file != NULL && fclose (file) != 0 && ok)
    ok = write_failed (partial, errno, error);
  ns_model_subset_clear (&subset);
  ns_safetensors_free (st);
  return ok;
}

/* The whole file into @partial: appended to what a resumable earlier
 * attempt left there when the server honours ranges (@file_size known),
 * from the start otherwise. */
static gboolean
download_whole (Fetch *f, gboolean ranges, guint64 file_size, const char *partial,
                GError **error)
{
  guint64  have = ranges ? file_size_of (partial) : 0;
  FILE    *file;
  CURLcode code;

  if (have > file_size)
    have = 0;
  if (ranges && have == file_size)
    return TRUE;
  file = open_partial (partial, have > 0 ? "ab" : "wb", error);
  if (file == NULL)
    return FALSE;
  f->file = file;
  f->done_before = have;
  f->total = ranges ? file_size : 0;
  code = fetch (f, have, G_MAXUINT64);
  f->file = NULL;
  if (fclose (file) != 0 && code == CURLE_OK)
    return write_failed (partial, errno, error);
  if (code == CURLE_OK && ranges && have + f->received != file_size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_DOWNLOAD, "%s: short answer", f->url);
      return FALSE;
    }
  return code == CURLE_OK || fetch_failed (f, code, error);
}

/* The SHA-256 of @path in lower-case hex, or NULL with @error. */
static char *
file_sha256 (const char *path, GError **error)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  FILE      *in = g_fopen (path, "rb");
  guchar     buffer[1 << 16];
  size_t     n;
  char      *hex = NULL;

  if (in == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_IO, "cannot read %s: %s", path, g_strerror (errno));
  else
    {
      while ((n = fread (buffer, 1, sizeof buffer, in)) > 0)
        g_checksum_update (sum, buffer, n);
      if (ferror (in))
        g_set_error (error, NS_ERROR, NS_ERROR_IO, "cannot read %s", path);
      else
        hex = g_strdup (g_checksum_get_string (sum));
      fclose (in);
    }
  g_checksum_free (sum);
  return hex;
}

/* A complete download whose checksum is not @sha256 is of no use: it is
 * deleted, so that no later attempt resumes it. */
static gboolean
verify_sha256 (const char *url, const char *partial, const char *sha256, GError **error)
{
  char    *actual = file_sha256 (partial, error);
  gboolean ok = actual != NULL && g_ascii_strcasecmp (actual, sha256) == 0;

  if (actual != NULL && !ok)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_CHECKSUM,
                   "%s: SHA-256 %s, expected %s", url, actual, sha256);
      g_unlink (partial);
    }
  g_free (actual);
  return ok;
}

/* Does the server honour ranges?  Asks for 8 bytes: 206 says yes (and the
 * file's size); a 200 body is cut off after those bytes. */
static gboolean
probe (Fetch *f, gboolean *ranges, guint64 *file_size, GError **error)
{
  CURLcode code;

  f->memory = g_byte_array_new ();
  f->memory_limit = 8;
  code = fetch (f, 0, 7);
  g_byte_array_unref (f->memory);
  f->memory = NULL;
  if (f->status == 206 && f->range_total > 0 && code == CURLE_OK)
    {
      *ranges = TRUE;
      *file_size = f->range_total;
      return TRUE;
    }
  if (f->status == 200 && (code == CURLE_OK || code == CURLE_WRITE_ERROR))
    {
      *ranges = FALSE;
      return TRUE;
    }
  if (code == CURLE_OK)
    code = CURLE_HTTP_RETURNED_ERROR;
  return fetch_failed (f, code, error);
}

/* Quick: the range download of the network's tensors, validated and
 * renamed into place.  A failure keeps the partial file for a resume,
 * unless it was complete but wrong. */
static gboolean
install_subset (Fetch *f, guint64 file_size, const char *partial, const char *final,
                GError **error)
{
  NsNetwork *net;
  gboolean   ok;

  if (!download_subset (f, file_size, partial, error))
    return FALSE;
  net = ns_vgg19_network_new (partial, error);
  ok = net != NULL;
  ns_network_free (net);
  if (!ok)
    g_unlink (partial);
  else if (g_rename (partial, final) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_WRITE, "cannot rename into %s: %s",
                   final, g_strerror (errno));
      ok = FALSE;
    }
  return ok;
}

/* Full: the whole file, its checksum, then its network's tensors
 * installed; the complete file is deleted once it has been used. */
static gboolean
install_whole (Fetch *f, const char *name, gboolean ranges, guint64 file_size,
               const char *sha256, const char *partial, GError **error)
{
  gboolean ok;

  if (!download_whole (f, ranges, file_size, partial, error))
    return FALSE;
  if (sha256 != NULL && !verify_sha256 (f->url, partial, sha256, error))
    return FALSE;
  ok = ns_model_install_file (name, partial, f->progress, f->data, error);
  g_unlink (partial);
  return ok;
}

gboolean
ns_model_download (const char *name, const char *url, NsDownloadMethod method,
                   const char *sha256, NsInstallProgress progress, gpointer data,
                   const gint *cancel, GError **error)
{
  Fetch      f = { .url = url, .progress = progress, .data = data, .cancel = cancel };
  char      *dir = ns_model_dir ();
  char      *final = ns_model_path (name);
  char      *partial = g_strdup_printf ("%s/.%s.download", dir, name);
  char      *source_file = g_strdup_printf ("%s.url", partial);
  char      *source = g_strdup_printf ("%s %s", method == NS_DOWNLOAD_QUICK ? "quick" : "full", url);
  char      *old_source = NULL;
  gboolean   ranges = FALSE, ok;
  guint64    file_size = 0;

  f.partial = partial;
  curl_global_init (CURL_GLOBAL_DEFAULT);
  if (sha256 != NULL && *sha256 == '\0')
    sha256 = NULL;
  if (sha256 != NULL && !ns_sha256_is_valid (sha256))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "%s is not a SHA-256 checksum (64 hex digits)", sha256);
      ok = FALSE;
      goto out;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_WRITE, "cannot create %s: %s", dir, g_strerror (errno));
      ok = FALSE;
      goto out;
    }
  /* A partial file from another address, or made the other way, is of no
   * use. */
  if (!g_file_get_contents (source_file, &old_source, NULL, NULL) ||
      strcmp (old_source, source) != 0)
    {
      g_unlink (partial);
      g_file_set_contents (source_file, source, -1, NULL);
    }

  ok = probe (&f, &ranges, &file_size, error);
  /* Without ranges the quick way cannot pick tensors: it gets the whole
   * file as the full way does. */
  if (ok && ranges && method == NS_DOWNLOAD_QUICK)
    ok = install_subset (&f, file_size, partial, final, error);
  else if (ok)
    ok = install_whole (&f, name, ranges, file_size, sha256, partial, error);
  if (ok || !g_file_test (partial, G_FILE_TEST_EXISTS))
    g_unlink (source_file);

out:
  g_free (old_source);
  g_free (source);
  g_free (dir);
  g_free (final);
  g_free (partial);
  g_free (source_file);
  return ok;
}
