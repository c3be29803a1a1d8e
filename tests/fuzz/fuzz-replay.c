/* fuzz-replay.c: a fuzz target without libFuzzer, for the test suites:
 * runs LLVMFuzzerTestOneInput on every file of the folders (or files) given,
 * in name order, as TAP.  The committed corpora hold the seeds and every
 * input that once crashed, so each becomes a regression test. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
add_inputs (const char *path, GPtrArray *inputs)
{
  GDir       *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_ptr_array_add (inputs, g_strdup (path));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (inputs, g_build_filename (path, name, NULL));
  g_dir_close (dir);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  GPtrArray *inputs = g_ptr_array_new_with_free_func (g_free);
  int        failed = 0;

  for (int i = 1; i < argc; i++)
    add_inputs (argv[i], inputs);
  g_ptr_array_sort (inputs, by_name);
  printf ("1..%u\n", MAX (inputs->len, 1));
  if (inputs->len == 0)
    {
      printf ("not ok 1 - no inputs found\n");
      return 1;
    }
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      char       *data = NULL;
      gsize       size = 0;

      if (!g_file_get_contents (path, &data, &size, NULL))
        {
          printf ("not ok %u - %s: unreadable\n", i + 1, path);
          failed++;
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
      printf ("ok %u - %s\n", i + 1, path);
      fflush (stdout);
      g_free (data);
    }
  g_ptr_array_unref (inputs);
  return failed != 0;
}
