/* ns-direct.c: 3x3 convolution done directly, for few channels.
 *
 * VGG19's first layer has three inputs forward and three outputs backward:
 * Winograd's transforms would cost more than they save, and as a matrix
 * product (im2col, then sgemm with an inner dimension of 27) it ran at a
 * quarter of the processor's speed, writing and reading its operands
 * through memory.  Here each output row is summed in registers: a block of
 * outputs x 16-float vectors of pixels, every input channel and tap adding
 * one vector of input times one weight to each.  Two shapes of block, by
 * the number of outputs: 8 outputs x 48 pixels (64 outputs: the forward
 * pass), 3 x 128 (3 outputs: the backward pass); 24 accumulators either
 * way, which with the loaded inputs fill AVX-512's 32 registers.
 *
 * The input comes through a zero-padded copy of a band of rows, made per
 * thread, so that the kernel reads every tap without a test at the
 * border.  The copy is also where a backward pass's gradient goes through
 * the ReLU (the loss's own gradient added, zero where the ReLU was):
 * that was a pass of its own over the 64-channel gradient.
 */
#include "ns-direct.h"

#include "ns-error.h"
#include "ns-pool.h"
#include "ns-relu.h"
#include "ns-simd.h"
#include "ns-threads.h"

/* Output rows per band: a band's padded copy holds two rows more, read
 * twice. */
#define BAND_ROWS 16

/* The two shapes of block: outputs x vectors of 16 pixels. */
#define WIDE_OUTPUTS    8
#define WIDE_VECTORS    3
#define NARROW_OUTPUTS  3
#define NARROW_VECTORS  8

static int
block_outputs (int outputs)
{
  return outputs >= WIDE_OUTPUTS ? WIDE_OUTPUTS : NARROW_OUTPUTS;
}

static int
block_vectors (int outputs)
{
  return outputs >= WIDE_OUTPUTS ? WIDE_VECTORS : NARROW_VECTORS;
}

static int
n_blocks (int outputs)
{
  return (outputs + block_outputs (outputs) - 1) / block_outputs (outputs);
}

/* k[((b inputs + c) 9 + tap) R + r] is the weight of output b R + r, input
 * c, tap (ky 3 + kx), R = block_outputs (outputs); zero past the outputs. */
float *
ns_direct_weights_new (const float *weights, int c_in, int c_out, gboolean backward,
                       GError **error)
{
  int    inputs = backward ? c_out : c_in, outputs = backward ? c_in : c_out;
  int    rows = block_outputs (outputs);
  float *k = ns_try_alloc0 ((gsize) n_blocks (outputs) * rows * inputs * 9, sizeof (float), error);

  for (int o = 0; k != NULL && o < outputs; o++)
    for (int c = 0; c < inputs; c++)
      for (int tap = 0; tap < 9; tap++)
        {
          /* Backward: the forward layer's kernel of output c, input o,
           * turned by 180 degrees. */
          float w = backward ? weights[((gsize) c * c_in + o) * 9 + 8 - tap]
                             : weights[((gsize) o * c_in + c) * 9 + tap];

          k[(((gsize) (o / rows) * inputs + c) * 9 + tap) * rows + o % rows] = w;
        }
  return k;
}

typedef struct
{
  const float *in;        /* inputs x h x w */
  const float *add;       /* or NULL */
  const float *relu_out;  /* or NULL: no ReLU's gradient */
  const float *k;         /* see ns_direct_weights_new */
  const float *bias;      /* outputs, or NULL */
  float       *out;       /* outputs x h x w */
  int          inputs;
  int          outputs;
  int          h;
  int          w;
  int          chunk;     /* pixels of a block: 16 x its vectors */
  int          wp;        /* padded row: a zero, w, zeros to whole chunks + 1 */
  int          n_bands;
  float      **pads;      /* per task: inputs x (BAND_ROWS + 2) x wp */
} Job;

/* Row @y of input @c into @dst (w floats), through the ReLU if asked. */
NS_INLINE void
copy_input_row (const Job *job, int c, int y, float *dst)
{
  gsize at = ((gsize) c * job->h + y) * job->w;

  if (job->relu_out == NULL)
    memcpy (dst, job->in + at, job->w * sizeof (float));
  else
    ns_relu_gradient (dst, job->in + at, job->add != NULL ? job->add + at : NULL,
                      job->relu_out + at, job->w);
}

/* The padded copy of input rows [y0 - 1, y1 + 1): row j of channel c at
 * pad + (c (BAND_ROWS + 2) + j) wp, the image's column x at 1 + x. */
NS_HOT static void
fill_pad (const Job *job, int y0, int y1, float *pad)
{
  gsize chan = (gsize) (BAND_ROWS + 2) * job->wp;

  for (int c = 0; c < job->inputs; c++)
    for (int j = 0; j < y1 - y0 + 2; j++)
      {
        float *row = pad + c * chan + (gsize) j * job->wp;
        int    y = y0 - 1 + j;

        if (y < 0 || y >= job->h)
          memset (row, 0, job->wp * sizeof (float));
        else
          {
            row[0] = 0.0f;
            copy_input_row (job, c, y, row + 1);
            memset (row + 1 + job->w, 0, (job->wp - 1 - job->w) * sizeof (float));
          }
      }
}

/* Output row @y (row y - y0 + 1 of @pad's band) of every output, in blocks
 * of @R outputs x @V vectors.  Inlined with constant R and V, so that the
 * accumulators are registers. */
NS_INLINE void
conv_row (const Job *job, const float *pad, int y, int y0, int R, int V)
{
  gsize chan = (gsize) (BAND_ROWS + 2) * job->wp;

  for (int b = 0; b < n_blocks (job->outputs); b++)
    {
      const float *kb = job->k + (gsize) b * job->inputs * 9 * R;

      for (int x0 = 0; x0 < job->w; x0 += job->chunk)
        {
          NsVec16 acc[WIDE_OUTPUTS * NARROW_VECTORS];    /* R x V used */

          for (int a = 0; a < R * V; a++)
            acc[a] = (NsVec16) { 0 };

          for (int c = 0; c < job->inputs; c++)
            for (int ky = 0; ky < 3; ky++)
              {
                const float *p = pad + c * chan + (gsize) (y - y0 + ky) * job->wp + x0;
                const float *kk = kb + ((gsize) c * 9 + ky * 3) * R;

                for (int kx = 0; kx < 3; kx++, kk += R)
                  for (int v = 0; v < V; v++)
                    {
                      NsVec16 in = ns_vec_load (p + kx + NS_VEC * v);

                      for (int r = 0; r < R; r++)
                        acc[r * V + v] += in * kk[r];
                    }
              }
          for (int r = 0; r < R && b * R + r < job->outputs; r++)
            {
              int    o = b * R + r;
              float *dst = job->out + ((gsize) o * job->h + y) * job->w;

              for (int v = 0; v < V && x0 + NS_VEC * v < job->w; v++)
                {
                  NsVec16 sum = acc[r * V + v];
                  int     x = x0 + NS_VEC * v;

                  if (job->bias != NULL)
                    sum = ns_vec_max0 (sum + job->bias[o]);
                  ns_vec_store (dst + x, sum, job->w - x);
                }
            }
        }
    }
}

NS_HOT static void
conv_rows (const Job *job, const float *pad, int y0, int y1)
{
  for (int y = y0; y < y1; y++)
    if (block_outputs (job->outputs) == WIDE_OUTPUTS)
      conv_row (job, pad, y, y0, WIDE_OUTPUTS, WIDE_VECTORS);
    else
      conv_row (job, pad, y, y0, NARROW_OUTPUTS, NARROW_VECTORS);
}

/* Task @t: bands t, t + n_tasks ... through its own padded copy. */
static void
bands_task (int t, int n_tasks, gpointer data)
{
  const Job *job = data;

  for (int band = t; band < job->n_bands; band += n_tasks)
    {
      int y0 = band * BAND_ROWS, y1 = MIN (y0 + BAND_ROWS, job->h);

      fill_pad (job, y0, y1, job->pads[t]);
      conv_rows (job, job->pads[t], y0, y1);
    }
}

gboolean
ns_direct_conv3x3 (const float *in, const float *add, const float *relu_out,
                   int inputs, int outputs, int h, int w, const float *k,
                   const float *bias, float *out, GError **error)
{
  Job   job = { .in = in, .add = add, .relu_out = relu_out, .k = k, .bias = bias,
                .out = out, .inputs = inputs, .outputs = outputs, .h = h, .w = w };
  int   n_tasks, got = 0;
  gsize pad_size;

  job.chunk = NS_VEC * block_vectors (outputs);
  job.wp = (w + job.chunk - 1) / job.chunk * job.chunk + 2;
  job.n_bands = (h + BAND_ROWS - 1) / BAND_ROWS;
  n_tasks = MIN (ns_get_num_threads (), job.n_bands);
  pad_size = (gsize) inputs * (BAND_ROWS + 2) * job.wp;
  job.pads = g_new0 (float *, n_tasks);
  for (; got < n_tasks; got++)
    if ((job.pads[got] = ns_pool_alloc (pad_size, sizeof (float), error)) == NULL)
      break;
  if (got == n_tasks)
    ns_parallel_for (n_tasks, bands_task, &job);
  for (int t = 0; t < got; t++)
    ns_pool_free (job.pads[t], pad_size, sizeof (float));
  g_free (job.pads);
  return got == n_tasks;
}
