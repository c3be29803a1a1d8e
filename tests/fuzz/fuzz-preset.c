/* fuzz-preset.c: a style preset's key file (styles/ *.preset), as the
 * dialog and a batch read it. */
#include <stdint.h>

#include "ns-presets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  NsPreset *preset = ns_preset_parse ((const char *) data, size, "/nonexistent", "fuzz", NULL);

  ns_preset_free (preset);
  return 0;
}
