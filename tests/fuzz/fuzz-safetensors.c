/* fuzz-safetensors.c: a weight file as a user might download it: the
 * safetensors header and its tensors, then the VGG19 loader on top.
 *
 * The bytes go to a memory file (memfd), opened through /proc/self/fd, so
 * the real path (mmap, validation, f16/bf16 conversion) runs without disk. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ns-network.h"
#include "ns-safetensors.h"
#include "ns-vgg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
load_every_tensor (const char *path)
{
  NsSafetensors *st = ns_safetensors_open (path, NULL);

  for (int i = 0; st != NULL && i < ns_safetensors_n_tensors (st); i++)
    {
      const NsTensorInfo *info = ns_safetensors_tensor (st, i);

      g_free (ns_safetensors_load_f32 (st, info, NULL));
    }
  ns_safetensors_free (st);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int        fd = memfd_create ("fuzz-safetensors", 0);
  char      *path;
  NsNetwork *net;

  if (fd < 0 || write (fd, data, size) != (ssize_t) size)
    abort ();
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  load_every_tensor (path);
  net = ns_vgg19_network_new (path, NULL);
  ns_network_free (net);
  g_free (path);
  close (fd);
  return 0;
}
