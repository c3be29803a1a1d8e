/* ns-model-store.c: the per-user model folder and validated installs. */
#include "ns-model-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ns-error.h"
#include "ns-network.h"
#include "ns-safetensors.h"
#include "ns-vgg.h"

char *
ns_model_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "neural-style", "models", NULL);
}

char *
ns_model_path (const char *name)
{
  char *dir = ns_model_dir ();
  char *file = g_strconcat (name, ".safetensors", NULL);
  char *path = g_build_filename (dir, file, NULL);

  g_free (dir);
  g_free (file);
  return path;
}

gboolean
ns_model_is_installed (const char *name)
{
  char    *path = ns_model_path (name);
  gboolean found = g_file_test (path, G_FILE_TEST_IS_REGULAR);

  g_free (path);
  return found;
}

/* @what "cannot read" is NS_ERROR_IO; creating, writing, flushing and
 * renaming fail with NS_ERROR_WRITE. */
static gboolean
io_error (GError **error, const char *what, const char *path, int errsv)
{
  int code = g_str_has_prefix (what, "cannot read") ? NS_ERROR_IO : NS_ERROR_WRITE;

  g_set_error (error, NS_ERROR, code, "%s %s: %s", what, path, g_strerror (errsv));
  return FALSE;
}

/* Writes all of @bytes to @fd. */
static gboolean
write_all (int fd, const char *bytes, gsize n, const char *tmp, GError **error)
{
  for (gsize off = 0; off < n;)
    {
      ssize_t w = write (fd, bytes + off, n - off);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return io_error (error, "cannot write", tmp, errno);
      off += w;
    }
  return TRUE;
}

/* Copies bytes [@begin, @begin + @len) of @in to @fd, adding to *@done. */
static gboolean
copy_range (FILE *in, const char *source, guint64 begin, guint64 len, int fd,
            const char *tmp, guint64 *done, guint64 total, NsInstallProgress progress,
            gpointer data, GError **error)
{
  char buffer[1 << 16];

  if (fseeko (in, (off_t) begin, SEEK_SET) != 0)
    return io_error (error, "cannot read", source, errno);
  while (len > 0)
    {
      size_t n = fread (buffer, 1, MIN (len, sizeof buffer), in);

      if (n == 0)
        return io_error (error, "cannot read", source, ferror (in) ? errno : EIO);
      if (!write_all (fd, buffer, n, tmp, error))
        return FALSE;
      len -= n;
      *done += n;
      if (progress != NULL)
        progress (*done, total, data);
    }
  return TRUE;
}

gboolean
ns_model_subset_init (NsModelSubset *subset, NsSafetensors *st, const char *source,
                      GError **error)
{
  char  *header;
  gsize  header_len;

  memset (subset, 0, sizeof *subset);
  for (int i = 0; i < 2 * NS_VGG19_CONVS; i++)
    {
      subset->names[i] = ns_vgg19_weight_name (i / 2, i % 2 == 1);
      if (ns_safetensors_find (st, subset->names[i]) == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                       "%s has no tensor %s: not VGG19 weights", source, subset->names[i]);
          return FALSE;
        }
    }
  header = ns_safetensors_subset_header (st, (const char *const *) subset->names,
                                         2 * NS_VGG19_CONVS, &header_len, &subset->data_size);
  subset->head_len = 8 + header_len;
  subset->head = g_malloc (subset->head_len);
  for (int i = 0; i < 8; i++)
    subset->head[i] = (char) (((guint64) header_len >> (8 * i)) & 0xff);
  memcpy (subset->head + 8, header, header_len);
  g_free (header);
  return TRUE;
}

void
ns_model_subset_clear (NsModelSubset *subset)
{
  for (int i = 0; i < 2 * NS_VGG19_CONVS; i++)
    g_clear_pointer (&subset->names[i], g_free);
  g_clear_pointer (&subset->head, g_free);
}

/* Writes to @fd a safetensors file of the tensors of @source that the
 * network uses, in the network's order.  A complete download of VGG19 is
 * 548 MB; its convolutions are 80 MB. */
static gboolean
strip_to_fd (const char *source, int fd, const char *tmp, NsInstallProgress progress,
             gpointer data, GError **error)
{
  NsSafetensors *st = ns_safetensors_open (source, error);
  NsModelSubset  subset = { 0 };
  guint64        done = 0;
  gboolean       ok = st != NULL && ns_model_subset_init (&subset, st, source, error);
  FILE          *in = NULL;

  if (ok)
    {
      in = fopen (source, "rb");
      ok = in != NULL || io_error (error, "cannot read", source, errno);
    }
  ok = ok && write_all (fd, subset.head, subset.head_len, tmp, error);
  for (int i = 0; ok && i < 2 * NS_VGG19_CONVS; i++)
    {
      const NsTensorInfo *info = ns_safetensors_find (st, subset.names[i]);

      ok = copy_range (in, source, ns_safetensors_data_start (st) + info->begin,
                       info->end - info->begin, fd, tmp, &done, subset.data_size, progress,
                       data, error);
    }
  if (ok && fsync (fd) != 0)
    ok = io_error (error, "cannot flush", tmp, errno);
  if (in != NULL)
    fclose (in);
  ns_model_subset_clear (&subset);
  ns_safetensors_free (st);
  return ok;
}

/* A model file is valid when it loads as the network it is named for
 * (@path NULL: only checks that @name is a known model). */
static gboolean
validate (const char *name, const char *path, GError **error)
{
  NsNetwork *net;

  if (strcmp (name, NS_MODEL_VGG19) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown model %s", name);
      return FALSE;
    }
  if (path == NULL)
    return TRUE;
  net = ns_vgg19_network_new (path, error);
  ns_network_free (net);
  return net != NULL;
}

gboolean
ns_model_install_file (const char *name, const char *source,
                       NsInstallProgress progress, gpointer data, GError **error)
{
  char    *dir = ns_model_dir ();
  char    *final = ns_model_path (name);
  char    *tmp = g_strdup_printf ("%s/.%s.safetensors.XXXXXX", dir, name);
  gboolean ok = FALSE;
  int      fd = -1;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    io_error (error, "cannot create", dir, errno);
  else if ((fd = g_mkstemp (tmp)) < 0)
    io_error (error, "cannot create", tmp, errno);
  else if (validate (name, NULL, error) &&
           strip_to_fd (source, fd, tmp, progress, data, error) &&
           validate (name, tmp, error))
    {
      /* Only a complete, validated file ever takes the model's name. */
      if (g_rename (tmp, final) == 0)
        ok = TRUE;
      else
        io_error (error, "cannot rename into", final, errno);
    }
  if (fd >= 0)
    close (fd);
  if (!ok && fd >= 0)
    g_unlink (tmp);
  g_free (dir);
  g_free (final);
  g_free (tmp);
  return ok;
}
