/* fuzz-result-record.c: the "neural-style-result" parasite, which any XCF
 * file can carry and the dialog reads as soon as it opens on that layer. */
#include <stdint.h>

#include "ns-result-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  NsResultRecord record;

  /* No GIMP here: @home NULL finds no open image. */
  if (ns_result_record_parse ((const char *) data, size, NULL, &record))
    ns_result_record_clear (&record);
  return 0;
}
