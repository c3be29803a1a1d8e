/* ns-safetensors.c: safetensors parsing and validation (json-glib). */
#include "ns-safetensors.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ns-error.h"

/* Headers beyond this are not weights files but attacks or accidents. */
#define MAX_HEADER_BYTES (100u << 20)

struct _NsSafetensors
{
  GMappedFile  *mapped;        /* NULL when only a header was parsed */
  guint64       data_start;
  guint64       data_size;
  GPtrArray    *tensors;       /* of NsTensorInfo */
  GHashTable   *by_name;
};

static const struct
{
  const char *name;
  NsDtype     dtype;
  int         bytes;
} dtypes[] =
{
  { "F32", NS_DTYPE_F32, 4 }, { "F16", NS_DTYPE_F16, 2 }, { "BF16", NS_DTYPE_BF16, 2 },
  { "F64", NS_DTYPE_OTHER, 8 }, { "I64", NS_DTYPE_OTHER, 8 }, { "I32", NS_DTYPE_OTHER, 4 },
  { "I16", NS_DTYPE_OTHER, 2 }, { "I8", NS_DTYPE_OTHER, 1 }, { "U8", NS_DTYPE_OTHER, 1 },
  { "U16", NS_DTYPE_OTHER, 2 }, { "U32", NS_DTYPE_OTHER, 4 }, { "U64", NS_DTYPE_OTHER, 8 },
  { "BOOL", NS_DTYPE_OTHER, 1 },
};

static void
tensor_info_free (gpointer data)
{
  NsTensorInfo *info = data;

  g_free (info->name);
  g_free (info->dtype_name);
  g_free (info);
}

void
ns_safetensors_free (NsSafetensors *st)
{
  if (st == NULL)
    return;
  if (st->mapped != NULL)
    g_mapped_file_unref (st->mapped);
  g_ptr_array_unref (st->tensors);
  g_hash_table_unref (st->by_name);
  g_free (st);
}

static gboolean
bad (GError **error, const char *name, const char *what)
{
  g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
               "safetensors tensor \"%s\": %s", name, what);
  return FALSE;
}

gint64
ns_tensor_info_n_values (const NsTensorInfo *info)
{
  gint64 n = 1;

  for (int i = 0; i < info->ndim; i++)
    n *= info->shape[i];
  return n;
}

/* One header entry into @info; checks its own consistency. */
static gboolean
parse_entry (const char *name, JsonNode *node, guint64 data_size,
             NsTensorInfo *info, GError **error)
{
  JsonObject *obj;
  JsonArray  *shape, *offsets;
  const char *dtype;
  int         bytes = 0;
  guint64     n = 1;

  info->name = g_strdup (name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, name, "entry is not an object");
  obj = json_node_get_object (node);
  dtype = json_object_get_string_member_with_default (obj, "dtype", NULL);
  if (!json_object_has_member (obj, "shape") || !json_object_has_member (obj, "data_offsets") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "shape")) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "data_offsets")) || dtype == NULL)
    return bad (error, name, "needs dtype, shape and data_offsets");
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (strcmp (dtype, dtypes[i].name) == 0)
      {
        info->dtype = dtypes[i].dtype;
        bytes = dtypes[i].bytes;
      }
  if (bytes == 0)
    return bad (error, name, "unknown dtype");
  info->dtype_name = g_strdup (dtype);

  shape = json_object_get_array_member (obj, "shape");
  info->ndim = json_array_get_length (shape);
  if (info->ndim > NS_SAFETENSORS_MAX_DIMS)
    return bad (error, name, "too many dimensions");
  for (int i = 0; i < info->ndim; i++)
    {
      JsonNode *dim = json_array_get_element (shape, i);

      if (json_node_get_value_type (dim) != G_TYPE_INT64 || json_node_get_int (dim) < 0)
        return bad (error, name, "shape is not a list of sizes");
      info->shape[i] = json_node_get_int (dim);
      if (info->shape[i] != 0 && n > G_MAXUINT64 / 16 / (guint64) info->shape[i])
        return bad (error, name, "shape overflows");
      n *= info->shape[i];
    }

  offsets = json_object_get_array_member (obj, "data_offsets");
  if (json_array_get_length (offsets) != 2 ||
      json_node_get_value_type (json_array_get_element (offsets, 0)) != G_TYPE_INT64 ||
      json_node_get_value_type (json_array_get_element (offsets, 1)) != G_TYPE_INT64 ||
      json_array_get_int_element (offsets, 0) < 0 || json_array_get_int_element (offsets, 1) < 0)
    return bad (error, name, "data_offsets is not [begin, end]");
  info->begin = json_array_get_int_element (offsets, 0);
  info->end = json_array_get_int_element (offsets, 1);
  if (info->end < info->begin || info->end > data_size)
    return bad (error, name, "data lies outside the file");
  if (info->end - info->begin != n * bytes)
    return bad (error, name, "byte size does not match dtype and shape");
  return TRUE;
}

static int
compare_begin (gconstpointer a, gconstpointer b)
{
  const NsTensorInfo *x = *(NsTensorInfo *const *) a, *y = *(NsTensorInfo *const *) b;

  return x->begin < y->begin ? -1 : x->begin > y->begin;
}

static gboolean
check_overlaps (GPtrArray *tensors, GError **error)
{
  GPtrArray *sorted = g_ptr_array_copy (tensors, NULL, NULL);

  g_ptr_array_set_free_func (sorted, NULL);      /* the copy owns nothing */
  gboolean   ok = TRUE;

  g_ptr_array_sort (sorted, compare_begin);
  for (guint i = 1; ok && i < sorted->len; i++)
    {
      const NsTensorInfo *prev = sorted->pdata[i - 1], *cur = sorted->pdata[i];

      if (cur->begin < prev->end)
        ok = bad (error, cur->name, "data overlaps another tensor");
    }
  g_ptr_array_unref (sorted);
  return ok;
}

NsSafetensors *
ns_safetensors_parse_header (const char *header, gsize length,
                             guint64 data_size, GError **error)
{
  NsSafetensors *st = g_new0 (NsSafetensors, 1);
  JsonParser    *parser = json_parser_new ();
  JsonObject    *root;
  GList         *members = NULL;
  GError        *json_error = NULL;
  gboolean       ok = TRUE;

  st->tensors = g_ptr_array_new_with_free_func (tensor_info_free);
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  st->data_size = data_size;
  st->data_start = 8 + length;
  if (!json_parser_load_from_data (parser, header, length, &json_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                   "safetensors header is not a JSON object%s%s",
                   json_error ? ": " : "", json_error ? json_error->message : "");
      g_clear_error (&json_error);
      ok = FALSE;
    }
  else
    {
      root = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (root);
      for (GList *l = members; ok && l != NULL; l = l->next)
        {
          NsTensorInfo *info;

          if (strcmp (l->data, "__metadata__") == 0)
            continue;
          info = g_new0 (NsTensorInfo, 1);
          g_ptr_array_add (st->tensors, info);
          ok = parse_entry (l->data, json_object_get_member (root, l->data),
                            data_size, info, error);
          if (ok)
            g_hash_table_insert (st->by_name, info->name, info);
        }
      ok = ok && check_overlaps (st->tensors, error);
    }
  g_list_free (members);
  g_object_unref (parser);
  if (!ok)
    {
      ns_safetensors_free (st);
      return NULL;
    }
  return st;
}

NsSafetensors *
ns_safetensors_open (const char *path, GError **error)
{
  GMappedFile   *mapped;
  NsSafetensors *st;
  const guint8  *bytes;
  guint64        size, header_len = 0;
  GError        *io_error = NULL;

  mapped = g_mapped_file_new (path, FALSE, &io_error);
  if (mapped == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s", io_error->message);
      g_error_free (io_error);
      return NULL;
    }
  bytes = (const guint8 *) g_mapped_file_get_contents (mapped);
  size = g_mapped_file_get_length (mapped);
  for (int i = 7; size >= 8 && i >= 0; i--)
    header_len = (header_len << 8) | bytes[i];
  if (size < 8 || header_len > MAX_HEADER_BYTES || header_len > size - 8)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                   "%s is not a safetensors file (header length)", path);
      g_mapped_file_unref (mapped);
      return NULL;
    }
  st = ns_safetensors_parse_header ((const char *) bytes + 8, header_len,
                                    size - 8 - header_len, error);
  if (st == NULL)
    {
      g_mapped_file_unref (mapped);
      return NULL;
    }
  st->mapped = mapped;
  return st;
}

int
ns_safetensors_n_tensors (NsSafetensors *st)
{
  return st->tensors->len;
}

const NsTensorInfo *
ns_safetensors_tensor (NsSafetensors *st, int index)
{
  return g_ptr_array_index (st->tensors, index);
}

const NsTensorInfo *
ns_safetensors_find (NsSafetensors *st, const char *name)
{
  return g_hash_table_lookup (st->by_name, name);
}

guint64
ns_safetensors_data_start (NsSafetensors *st)
{
  return st->data_start;
}

float
ns_half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  float   f;

  if (exp == 0)
    {
      /* Zero or subnormal: mant * 2^-24. */
      f = mant * (1.0f / 16777216.0f);
      return sign ? -f : f;
    }
  if (exp == 31)
    bits = sign | 0x7f800000u | (mant << 13);        /* inf, NaN */
  else
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  memcpy (&f, &bits, sizeof f);
  return f;
}

float *
ns_safetensors_load_f32 (NsSafetensors *st, const NsTensorInfo *info,
                         GError **error)
{
  const guint8 *src;
  gint64        n = ns_tensor_info_n_values (info);
  float        *out;

  g_return_val_if_fail (st->mapped != NULL, NULL);
  if (info->dtype == NS_DTYPE_OTHER)
    {
      bad (error, info->name, "dtype is not F32, F16 or BF16");
      return NULL;
    }
  out = ns_try_alloc0 (n, sizeof (float), error);
  if (out == NULL)
    return NULL;
  src = (const guint8 *) g_mapped_file_get_contents (st->mapped) + st->data_start + info->begin;
  for (gint64 i = 0; i < n; i++)
    {
      guint32 bits;

      switch (info->dtype)
        {
        case NS_DTYPE_F32:
          bits = src[4 * i] | src[4 * i + 1] << 8 | src[4 * i + 2] << 16 | (guint32) src[4 * i + 3] << 24;
          memcpy (&out[i], &bits, 4);
          break;
        case NS_DTYPE_F16:
          out[i] = ns_half_to_float (src[2 * i] | src[2 * i + 1] << 8);
          break;
        case NS_DTYPE_BF16:
          bits = (guint32) (src[2 * i] | src[2 * i + 1] << 8) << 16;
          memcpy (&out[i], &bits, 4);
          break;
        default:
          break;
        }
    }
  return out;
}

char *
ns_safetensors_subset_header (NsSafetensors *st, const char *const *names,
                              int n_names, gsize *length, guint64 *data_size)
{
  JsonBuilder   *builder = json_builder_new ();
  JsonGenerator *generator = json_generator_new ();
  JsonNode      *root;
  GString       *text;
  guint64        offset = 0;
  char          *json;

  json_builder_begin_object (builder);
  for (int i = 0; i < n_names; i++)
    {
      const NsTensorInfo *info = ns_safetensors_find (st, names[i]);
      guint64             bytes = info->end - info->begin;

      json_builder_set_member_name (builder, info->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, info->dtype_name);
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (int d = 0; d < info->ndim; d++)
        json_builder_add_int_value (builder, info->shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, offset);
      json_builder_add_int_value (builder, offset + bytes);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += bytes;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  text = g_string_new (json);
  while (text->len % 8 != 0)
    g_string_append_c (text, ' ');
  *length = text->len;
  *data_size = offset;
  g_free (json);
  json_node_unref (root);
  g_object_unref (generator);
  g_object_unref (builder);
  return g_string_free (text, FALSE);
}
