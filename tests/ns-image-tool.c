/* ns-image-tool: image files in and out of the core, for tests, the demo's
 * checks and developers (GEGL does the file formats).
 *
 *   ns-image-tool gen KIND W H OUT.png     KIND: content, content-alpha, style, style-b
 *   ns-image-tool transfer CONTENT STYLE OUT.png [MAX_SIZE [ITERATIONS]]
 *   ns-image-tool style-loss IMAGE STYLE    prints the built-in style loss
 *   ns-image-tool info IMAGE                prints "W H mean_r mean_g mean_b mean_a"
 *   ns-image-tool diff A B                  prints the mean absolute RGBA difference
 *   ns-image-tool crop IMAGE X Y W H OUT.png   a rectangle of IMAGE at 100 %
 *   ns-image-tool resize IMAGE W H OUT.png     IMAGE resampled as the core does
 *
 * transfer reads NS_STYLE_WEIGHT, NS_TV_WEIGHT, NS_ADAM, NS_DETAIL_SIDE
 * (the full-size schedule's detail side), NS_TRACE (every iteration's
 * loss on stderr), NS_VGG19 (a VGG19 safetensors file: that network
 * instead of the built-in one) and NS_MEMORY_BUDGET (megabytes: a budget
 * that makes a large image go in tiles).
 */
#include <gegl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns-blas-env.h"
#include "ns-builtin.h"
#include "ns-losses.h"
#include "ns-transfer.h"
#include "ns-vgg.h"

typedef struct
{
  int    width;
  int    height;
  float *rgba;
} Pixels;

static gboolean
load (const char *path, Pixels *p)
{
  GeglNode      *graph = gegl_node_new ();
  GeglBuffer    *buffer = NULL;
  GeglNode      *source, *sink;
  GeglRectangle  r;

  source = gegl_node_new_child (graph, "operation", "gegl:load", "path", path, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink",
                              "buffer", &buffer, NULL);
  gegl_node_link (source, sink);
  gegl_node_process (sink);
  g_object_unref (graph);
  if (buffer == NULL)
    return FALSE;
  r = *gegl_buffer_get_extent (buffer);
  if (r.width <= 0 || r.height <= 0)
    {
      g_object_unref (buffer);
      return FALSE;
    }
  p->width = r.width;
  p->height = r.height;
  p->rgba = g_new (float, (gsize) r.width * r.height * 4);
  /* Through u8, converted here: babl chooses its float conversion by
   * timing, and its candidates differ in the last bits, which made equal
   * files load as unequal floats from run to run.  Test images are 8-bit. */
  {
    gsize   n = (gsize) r.width * r.height * 4;
    guint8 *bytes = g_new (guint8, n);

    gegl_buffer_get (buffer, &r, 1.0, babl_format ("R'G'B'A u8"), bytes,
                     GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    for (gsize i = 0; i < n; i++)
      p->rgba[i] = bytes[i] / 255.0f;
    g_free (bytes);
  }
  g_object_unref (buffer);
  return TRUE;
}

static void
save (const char *path, const Pixels *p)
{
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, p->width, p->height),
                                        babl_format ("R'G'B'A float"));
  GeglNode   *graph = gegl_node_new ();
  GeglNode   *source, *sink;

  gegl_buffer_set (buffer, NULL, 0, babl_format ("R'G'B'A float"), p->rgba,
                   GEGL_AUTO_ROWSTRIDE);
  source = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                "buffer", buffer, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:png-save",
                              "path", path, "bitdepth", 8, NULL);
  gegl_node_link (source, sink);
  gegl_node_process (sink);
  g_object_unref (graph);
  g_object_unref (buffer);
}

static NsImage *
load_rgb (const char *path)
{
  Pixels   p;
  NsImage *image;

  if (!load (path, &p))
    {
      fprintf (stderr, "ns-image-tool: cannot load %s\n", path);
      exit (1);
    }
  image = ns_image_new_from_interleaved (p.rgba, p.width, p.height, 4, NULL);
  g_free (p.rgba);
  return image;
}

/* Deterministic test pictures: a "content" of shapes and gradients, a
 * "style" of diagonal coloured strokes, a "style-b" of warm bands. */
static void
generate (const char *kind, int w, int h, const char *out)
{
  Pixels p = { w, h, g_new (float, (gsize) w * h * 4) };

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float *px = p.rgba + ((gsize) y * w + x) * 4;
        float  u = (float) x / w, v = (float) y / h;

        if (g_str_has_prefix (kind, "content"))
          {
            float disc = hypotf (u - 0.35f, v - 0.45f) < 0.22f ? 1.0f : 0.0f;
            float bar = (u > 0.6f && u < 0.8f && v > 0.2f && v < 0.85f) ? 1.0f : 0.0f;

            px[0] = 0.2f + 0.6f * u * (1 - disc) + 0.7f * disc;
            px[1] = 0.3f + 0.5f * v * (1 - bar) + 0.1f * disc;
            px[2] = 0.6f - 0.3f * u + 0.3f * bar;
            px[3] = strcmp (kind, "content-alpha") == 0 ? (u < 0.5f ? 1.0f : 0.25f) : 1.0f;
          }
        else if (strcmp (kind, "style-b") == 0)
          {
            /* Warm horizontal bands with a fine checker: other colours and
             * other textures than "style". */
            float band = sinf (y * 0.9f) * 0.5f + 0.5f;
            float check = ((x / 3 + y / 3) % 2) ? 1.0f : 0.0f;

            px[0] = 0.95f - 0.3f * check;
            px[1] = 0.35f + 0.4f * band;
            px[2] = 0.05f + 0.15f * check;
            px[3] = 1.0f;
          }
        else
          {
            float s = sinf ((x + y) * 0.7f) * 0.5f + 0.5f;
            float t = sinf ((x - 2 * y) * 0.23f) * 0.5f + 0.5f;

            px[0] = 0.1f + 0.8f * s * t;
            px[1] = 0.2f + 0.5f * (1 - s);
            px[2] = 0.9f * t;
            px[3] = 1.0f;
          }
      }
  save (out, &p);
  g_free (p.rgba);
}

/* RGB of @image as an opaque RGBA file. */
static void
save_rgb (const char *path, const NsImage *image)
{
  Pixels out = { image->width, image->height,
                 g_new (float, (gsize) image->width * image->height * 4) };

  for (gsize i = 0; i < (gsize) out.width * out.height; i++)
    out.rgba[4 * i + 3] = 1.0f;
  ns_image_to_interleaved (image, out.rgba, 4);
  save (path, &out);
  g_free (out.rgba);
}

static void
on_progress (const NsProgress *p, gpointer data)
{
  (void) data;
  if (g_getenv ("NS_TRACE"))
    fprintf (stderr, "trace %d %d %.17g\n", p->scale, p->iteration, p->loss);
  else if (p->iteration % 10 == 0)
    fprintf (stderr, "scale %d/%d it %3d/%d  loss %.5g (content %.4g style %.4g tv %.4g)  %.0f%%\n",
             p->scale + 1, p->n_scales, p->iteration, p->iterations, p->loss,
             p->content_loss, p->style_loss, p->tv_loss, 100 * p->fraction);
}

static int
transfer (int argc, char **argv)
{
  NsImage          *content = load_rgb (argv[2]), *style = load_rgb (argv[3]);
  NsStyleSource     source = { style, 1.0, NULL, NULL };
  NsTransferParams  params;
  NsImage          *result;
  GError           *error = NULL;
  NsNetwork        *net = g_getenv ("NS_VGG19") != NULL
                          ? ns_vgg19_network_new (g_getenv ("NS_VGG19"), &error)
                          : ns_builtin_network_new ();

  if (net == NULL)
    {
      fprintf (stderr, "ns-image-tool: %s\n", error->message);
      return 1;
    }
  ns_transfer_params_init (&params);
  if (argc > 5)
    params.max_size = atoi (argv[5]);
  if (argc > 6)
    params.iterations = atoi (argv[6]);
  if (g_getenv ("NS_STYLE_WEIGHT"))
    params.style_weight = g_ascii_strtod (g_getenv ("NS_STYLE_WEIGHT"), NULL);
  if (g_getenv ("NS_TV_WEIGHT"))
    params.tv_weight = g_ascii_strtod (g_getenv ("NS_TV_WEIGHT"), NULL);
  if (g_getenv ("NS_ADAM"))
    params.optimiser = NS_OPTIMISER_ADAM;
  if (g_getenv ("NS_DETAIL_SIDE"))      /* the full-size schedule */
    params.detail_side = atoi (g_getenv ("NS_DETAIL_SIDE"));
  if (g_getenv ("NS_MEMORY_BUDGET"))
    params.memory_budget = (guint64) g_ascii_strtoull (g_getenv ("NS_MEMORY_BUDGET"), NULL, 10) << 20;
  params.progress = on_progress;
  result = ns_transfer (net, content, &source, 1, &params, &error);
  if (result == NULL)
    {
      fprintf (stderr, "ns-image-tool: %s\n", error->message);
      return 1;
    }
  save_rgb (argv[4], result);
  return 0;
}

/* The built-in network's style loss of IMAGE against STYLE, both at their
 * own sizes: what the plug-in minimises, measured independently of it. */
static int
style_loss (const char *image_path, const char *style_path)
{
  NsImage       *image = load_rgb (image_path), *style = load_rgb (style_path);
  NsNetwork     *net = ns_builtin_network_new ();
  gboolean       wanted[NS_BUILTIN_LEVELS] = { TRUE, TRUE, TRUE, TRUE, TRUE };
  NsTensor       grads[NS_BUILTIN_LEVELS] = { { 0 } };
  NsStyleTarget *target = ns_style_target_new (net, net->n_style_outputs,
                                               net->style_outputs, NULL);
  NsActivations *acts = ns_network_forward (net, style, wanted, NULL);

  ns_style_target_add (target, acts, 1.0, NULL);
  ns_style_target_finish (target, 1.0);
  ns_activations_free (acts);
  acts = ns_network_forward (net, image, wanted, NULL);
  printf ("%.6g\n", ns_style_loss (target, acts, 0.0, grads, NULL));
  return 0;
}

static int
resize (const char *path, int w, int h, const char *out_path)
{
  NsImage *in = load_rgb (path), *out;    /* exits if unreadable */
  GError  *error = NULL;

  out = ns_image_resize (in, w, h, &error);
  if (out == NULL)
    {
      fprintf (stderr, "ns-image-tool: cannot resize %s: %s\n", path, error->message);
      return 1;
    }
  save_rgb (out_path, out);
  ns_image_free (out);
  ns_image_free (in);
  return 0;
}

static int
crop (const char *path, int x0, int y0, int w, int h, const char *out_path)
{
  Pixels in, out = { w, h, g_new (float, (gsize) w * h * 4) };

  if (!load (path, &in) || x0 < 0 || y0 < 0 || x0 + w > in.width || y0 + h > in.height)
    {
      fprintf (stderr, "ns-image-tool: cannot crop %s\n", path);
      return 1;
    }
  for (int y = 0; y < h; y++)
    memcpy (out.rgba + (gsize) y * w * 4, in.rgba + ((gsize) (y0 + y) * in.width + x0) * 4,
            (gsize) w * 4 * sizeof (float));
  save (out_path, &out);
  g_free (out.rgba);
  g_free (in.rgba);
  return 0;
}

int
main (int argc, char **argv)
{
  Pixels a, b;

  ns_blas_prefer_avx512 (argv);
  gegl_init (&argc, &argv);
  if (argc == 6 && strcmp (argv[1], "gen") == 0)
    generate (argv[2], atoi (argv[3]), atoi (argv[4]), argv[5]);
  else if (argc >= 5 && strcmp (argv[1], "transfer") == 0)
    return transfer (argc, argv);
  else if (argc == 6 && strcmp (argv[1], "resize") == 0)
    return resize (argv[2], atoi (argv[3]), atoi (argv[4]), argv[5]);
  else if (argc == 8 && strcmp (argv[1], "crop") == 0)
    return crop (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]), atoi (argv[6]), argv[7]);
  else if (argc == 4 && strcmp (argv[1], "style-loss") == 0)
    return style_loss (argv[2], argv[3]);
  else if (argc == 3 && strcmp (argv[1], "info") == 0 && load (argv[2], &a))
    {
      double m[4] = { 0 };
      gsize  n = (gsize) a.width * a.height;

      for (gsize i = 0; i < n; i++)
        for (int c = 0; c < 4; c++)
          m[c] += a.rgba[4 * i + c] / n;
      printf ("%d %d %.6f %.6f %.6f %.6f\n", a.width, a.height, m[0], m[1], m[2], m[3]);
    }
  else if (argc == 4 && strcmp (argv[1], "diff") == 0 && load (argv[2], &a) && load (argv[3], &b))
    {
      double d = 0;
      gsize  n = (gsize) a.width * a.height * 4;

      if (a.width != b.width || a.height != b.height)
        {
          printf ("size-mismatch\n");
          return 1;
        }
      for (gsize i = 0; i < n; i++)
        d += fabs (a.rgba[i] - b.rgba[i]) / n;
      printf ("%.6f\n", d);
    }
  else
    {
      fprintf (stderr, "usage: see the comment at the top of ns-image-tool.c\n");
      return 2;
    }
  return 0;
}
