/* ns-estimate.h: how long a transfer will take and how much memory it will
 * need, from a quick measurement on this machine.
 *
 * ns_calibrate runs the real transfer on synthetic images at two small
 * sizes for a few iterations each, timing them and the setup of the scale,
 * and recording the peak memory the process reached; then one forward pass
 * alone.  Seconds per evaluation and peak bytes are each modelled as
 * a + b * pixels, which ns_estimate applies to every scale that ns_transfer
 * would plan, with the optimiser's evaluations per iteration and its own
 * memory added.  A scale that a memory budget splits into tiles costs the
 * pixels of all its tiles, halos included, with the forward pass twice,
 * and needs what the memory plan (ns-memory-plan.h) says.
 */
#pragma once

#include "ns-memory-plan.h"
#include "ns-transfer.h"

G_BEGIN_DECLS

typedef struct
{
  double   evaluation_fixed;   /* s per loss and gradient = fixed + per_pixel * N */
  double   evaluation_per_pixel;
  double   setup_ratio;        /* a scale's setup, in evaluations at its size */
  double   bytes_fixed;        /* peak bytes = fixed + per_pixel * N, without */
  double   bytes_per_pixel;    /* the optimiser's own vectors */
  double   forward_bytes_per_pixel;   /* a style's features, no gradients */
  gboolean memory_measured;    /* FALSE where peaks cannot be read */
  NsFootprint footprint;       /* for runs held to a memory budget */
} NsCalibration;

typedef struct
{
  double  seconds;             /* the whole run */
  guint64 bytes;               /* peak above what the process held before */
} NsEstimate;

/* Measures @net with @params' weights and optimiser and the current thread
 * count (its sizes, iterations, init and progress are replaced): 3
 * iterations at 96 px, then at the largest of 192, 384 and 768 px that
 * should take about a second, so a fast network is measured nearer to the
 * sizes it will run at.  @params->cancel is
 * honoured (NS_ERROR_CANCELLED). */
gboolean ns_calibrate (NsNetwork              *net,
                       const NsTransferParams *params,
                       NsCalibration          *calibration,
                       GError                **error);

/* The cost of ns_transfer (@params) on a width x height content, with
 * styles of about the content's aspect. */
void     ns_estimate  (const NsCalibration    *calibration,
                       const NsTransferParams *params,
                       int                     width,
                       int                     height,
                       NsEstimate             *estimate);

G_END_DECLS
