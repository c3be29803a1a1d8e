/* ns-safetensors.h: reading safetensors weight files.
 *
 * Format: 8-byte little-endian header length N, N bytes of JSON mapping
 * tensor names to {dtype, shape, data_offsets: [begin, end)} (offsets into
 * the bytes after the header), optional "__metadata__", then the raw
 * little-endian tensor data.  Every entry is validated on open: known dtype,
 * shape consistent with the byte size, inside the file, no overlaps.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_SAFETENSORS_MAX_DIMS 8

typedef enum
{
  NS_DTYPE_F32,
  NS_DTYPE_F16,
  NS_DTYPE_BF16,
  NS_DTYPE_OTHER        /* a known non-float dtype: validated, not loadable */
} NsDtype;

typedef struct
{
  char    *name;
  NsDtype  dtype;
  char    *dtype_name;
  int      ndim;
  gint64   shape[NS_SAFETENSORS_MAX_DIMS];
  guint64  begin;       /* offsets in the data section */
  guint64  end;
} NsTensorInfo;

typedef struct _NsSafetensors NsSafetensors;

/* Parses and validates a header.  @header: the JSON bytes; @data_size: the
 * size of the data section that follows (file size - 8 - N). */
NsSafetensors      *ns_safetensors_parse_header (const char *header, gsize length,
                                                 guint64 data_size, GError **error);
/* Maps and validates a whole file. */
NsSafetensors      *ns_safetensors_open         (const char *path, GError **error);
void                ns_safetensors_free         (NsSafetensors *st);

int                 ns_safetensors_n_tensors    (NsSafetensors *st);
const NsTensorInfo *ns_safetensors_tensor       (NsSafetensors *st, int index);
const NsTensorInfo *ns_safetensors_find         (NsSafetensors *st, const char *name);
/* Bytes from the start of the file to the data section (8 + N). */
guint64             ns_safetensors_data_start   (NsSafetensors *st);
gint64              ns_tensor_info_n_values     (const NsTensorInfo *info);

/* The tensor's values as float32 (F16 and BF16 converted); the file must
 * have been opened with ns_safetensors_open. */
float              *ns_safetensors_load_f32     (NsSafetensors *st,
                                                 const NsTensorInfo *info,
                                                 GError **error);

float               ns_half_to_float            (guint16 h);

/* The header of a file holding only the tensors @names (all present in
 * @st), in that order, with packed offsets: the JSON padded with spaces to
 * a multiple of 8 bytes (its length in *length), and the data size the
 * file will have in *data_size.  Tensor i's bytes in the new file are those
 * of its entry in @st, in the same dtype. */
char               *ns_safetensors_subset_header (NsSafetensors *st,
                                                  const char *const *names,
                                                  int n_names, gsize *length,
                                                  guint64 *data_size);

G_END_DECLS
