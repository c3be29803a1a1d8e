/* test-safetensors.c: weights files that are damaged or of the wrong shape
 * are refused with NS_ERROR_BAD_WEIGHTS (never a crash), and F16/BF16 values
 * convert exactly. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ns-error.h"
#include "ns-safetensors.h"
#include "ns-vgg.h"

static const char *data_dir;

/* A file: 8-byte length, @header, then @data_size zero bytes. */
static char *
write_file (const char *header, gsize data_size)
{
  char    *path = NULL;
  int      fd = g_file_open_tmp ("ns-st-XXXXXX.safetensors", &path, NULL);
  guint64  n = strlen (header);
  GString *bytes = g_string_new (NULL);

  for (int i = 0; i < 8; i++)
    g_string_append_c (bytes, (char) ((n >> (8 * i)) & 0xff));
  g_string_append (bytes, header);
  for (gsize i = 0; i < data_size; i++)
    g_string_append_c (bytes, 0);
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, NULL));
  g_string_free (bytes, TRUE);
  close (fd);
  return path;
}

static void
assert_refused (const char *header, gsize data_size)
{
  char          *path = write_file (header, data_size);
  GError        *error = NULL;
  NsSafetensors *st = ns_safetensors_open (path, &error);

  g_assert_null (st);
  g_assert_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS);
  g_error_free (error);
  g_unlink (path);
  g_free (path);
}

static void
test_corrupt_headers (void)
{
  assert_refused ("not json", 16);
  assert_refused ("[1, 2]", 16);
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}", 8);
  assert_refused ("{\"a\": {\"dtype\": \"Q7\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8);
  /* Byte size disagrees with the shape. */
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 16);
  /* Data past the end of the file. */
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8);
  /* Two tensors sharing bytes. */
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                  " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 16);
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", 8);
  assert_refused ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8);
}

static void
test_header_length (void)
{
  char   *path = NULL;
  int     fd = g_file_open_tmp ("ns-st-XXXXXX", &path, NULL);
  GError *error = NULL;
  /* Claims a header far longer than the file. */
  const char bytes[12] = { 0x00, 0x10, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ' };

  g_assert_true (g_file_set_contents (path, bytes, sizeof bytes, NULL));
  g_assert_null (ns_safetensors_open (path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, bytes, 5, NULL));     /* truncated */
  g_assert_null (ns_safetensors_open (path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS);
  g_clear_error (&error);
  g_assert_null (ns_safetensors_open ("/nonexistent/x.safetensors", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IO);
  g_clear_error (&error);
  close (fd);
  g_unlink (path);
  g_free (path);
}

static void
test_valid_file (void)
{
  char               *path = g_build_filename (data_dir, "vgg19-small.safetensors", NULL);
  GError             *error = NULL;
  NsSafetensors      *st = ns_safetensors_open (path, &error);
  const NsTensorInfo *info;

  g_assert_no_error (error);
  info = ns_safetensors_find (st, "features.0.weight");
  g_assert_nonnull (info);
  g_assert_cmpint (info->ndim, ==, 4);
  g_assert_cmpint (info->shape[1], ==, 3);
  g_assert_nonnull (ns_safetensors_find (st, "classifier.0.weight"));
  g_assert_null (ns_safetensors_find (st, "__metadata__"));
  ns_safetensors_free (st);
  g_free (path);
}

/* A VGG19 whose conv 3 (features.7) expects the wrong input channels. */
static void
test_wrong_shapes (void)
{
  static const int idx[16] = { 0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34 };
  GString        *header = g_string_new ("{");
  gsize           offset = 0;
  char           *path;
  GError         *error = NULL;

  for (int i = 0; i < 16; i++)
    {
      int   in = i == 0 ? 3 : i == 3 ? 5 : 2;     /* 5 breaks the chain */
      int   out = 2;
      gsize w = (gsize) out * in * 9 * 4;
      g_string_append_printf (header,
        "%s\"features.%d.weight\": {\"dtype\": \"F32\", \"shape\": [%d, %d, 3, 3], \"data_offsets\": [%zu, %zu]},"
        "\"features.%d.bias\": {\"dtype\": \"F32\", \"shape\": [%d], \"data_offsets\": [%zu, %zu]}",
        i ? "," : "", idx[i], out, in, offset, offset + w, idx[i], out, offset + w, offset + w + out * 4);
      offset += w + out * 4;
    }
  g_string_append (header, "}");
  path = write_file (header->str, offset);
  g_assert_null (ns_vgg19_network_new (path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "features.7.weight"));
  g_clear_error (&error);
  g_unlink (path);
  g_free (path);

  /* A file with no VGG tensors at all. */
  path = write_file ("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8);
  g_assert_null (ns_vgg19_network_new (path, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS);
  g_clear_error (&error);
  g_unlink (path);
  g_free (path);
  g_string_free (header, TRUE);
}

static void
test_half_floats (void)
{
  g_assert_cmpfloat (ns_half_to_float (0x3c00), ==, 1.0f);
  g_assert_cmpfloat (ns_half_to_float (0xc000), ==, -2.0f);
  g_assert_cmpfloat (ns_half_to_float (0x3555), ==, 0.333251953125f);
  g_assert_cmpfloat (ns_half_to_float (0x0001), ==, 5.9604644775390625e-08f);   /* subnormal */
  g_assert_cmpfloat (ns_half_to_float (0x7bff), ==, 65504.0f);
  g_assert_true (isinf (ns_half_to_float (0x7c00)));
  g_assert_true (isnan (ns_half_to_float (0x7e00)));
}

static void
test_bf16_load (void)
{
  char          *path = write_file ("{\"w\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 0);
  GError        *error = NULL;
  NsSafetensors *st;
  float         *values;
  gchar         *contents;
  gsize          length;

  /* Append the two BF16 values 1.5 (0x3fc0) and -0.25 (0xbe80). */
  g_file_get_contents (path, &contents, &length, NULL);
  contents = g_realloc (contents, length + 4);
  memcpy (contents + length, "\xc0\x3f\x80\xbe", 4);
  g_file_set_contents (path, contents, length + 4, NULL);
  st = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  values = ns_safetensors_load_f32 (st, ns_safetensors_find (st, "w"), &error);
  g_assert_cmpfloat (values[0], ==, 1.5f);
  g_assert_cmpfloat (values[1], ==, -0.25f);
  g_free (values);
  g_free (contents);
  ns_safetensors_free (st);
  g_unlink (path);
  g_free (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: test-safetensors [GTEST-OPTIONS] DATA-DIR\n");
      return 2;
    }
  data_dir = argv[1];
  g_test_add_func ("/safetensors/corrupt-headers", test_corrupt_headers);
  g_test_add_func ("/safetensors/header-length", test_header_length);
  g_test_add_func ("/safetensors/valid-file", test_valid_file);
  g_test_add_func ("/safetensors/wrong-vgg-shapes", test_wrong_shapes);
  g_test_add_func ("/safetensors/half-floats", test_half_floats);
  g_test_add_func ("/safetensors/bf16-load", test_bf16_load);
  return g_test_run ();
}
