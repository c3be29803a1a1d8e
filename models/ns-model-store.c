/* ns-model-store.c: the per-user model folder and validated installs. */
#include "ns-model-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ns-error.h"
#include "ns-network.h"
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

/* Copies @source to the open descriptor @fd, reporting progress. */
static gboolean
copy_to_fd (const char *source, int fd, const char *tmp, NsInstallProgress progress,
            gpointer data, GError **error)
{
  FILE    *in = fopen (source, "rb");
  char     buffer[1 << 16];
  guint64  done = 0, total = 0;
  GStatBuf st;
  size_t   n;

  if (in == NULL)
    return io_error (error, "cannot read", source, errno);
  if (g_stat (source, &st) == 0)
    total = st.st_size;
  while ((n = fread (buffer, 1, sizeof buffer, in)) > 0)
    {
      for (size_t off = 0; off < n;)
        {
          ssize_t w = write (fd, buffer + off, n - off);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int errsv = errno;

              fclose (in);
              return io_error (error, "cannot write", tmp, errsv);
            }
          off += w;
        }
      done += n;
      if (progress != NULL)
        progress (done, total, data);
    }
  if (ferror (in))
    {
      int errsv = errno;

      fclose (in);
      return io_error (error, "cannot read", source, errsv);
    }
  fclose (in);
  if (fsync (fd) != 0)
    return io_error (error, "cannot flush", tmp, errno);
  return TRUE;
}

/* A model file is valid when it loads as the network it is named for. */
static gboolean
validate (const char *name, const char *path, GError **error)
{
  NsNetwork *net;

  if (strcmp (name, NS_MODEL_VGG19) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown model %s", name);
      return FALSE;
    }
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
  else if (copy_to_fd (source, fd, tmp, progress, data, error) &&
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
