/* ns-calibration.c: ns_calibrate on an NsWorker. */
#include "ns-calibration.h"

#include "ns-error.h"
#include "ns-messages.h"
#include "ns-networks.h"
#include "ns-threads.h"
#include "ns-worker.h"

#define POLL_MS 100

struct _NsCalibrator
{
  int               network;
  NsTransferParams  params;
  NsWorker         *worker;
  NsCalibration     calibration;
};

/* On the worker: open the network (VGG19's weights take a moment) and
 * measure it. */
static gboolean
calibrate (gpointer data, const gint *cancel, GError **error)
{
  NsCalibrator *c = data;
  NsNetwork    *net = ns_networks_open (c->network, error);
  gboolean      ok;

  if (net == NULL)
    return FALSE;
  c->params.cancel = cancel;
  ok = ns_calibrate (net, &c->params, &c->calibration, error);
  ns_network_free (net);
  return ok;
}

NsCalibrator *
ns_calibrator_start (const NsSettings *settings, NsWatchFunc done, gpointer data)
{
  NsCalibrator *c = g_new0 (NsCalibrator, 1);

  c->network = settings->network;
  ns_settings_to_transfer_params (settings, 0.0, &c->params);
  ns_set_num_threads (settings->threads);
  c->worker = ns_worker_new ();
  ns_worker_start (c->worker, "ns-calibrate", calibrate, c);
  ns_worker_watch (c->worker, POLL_MS, NULL, done, data);
  return c;
}

int
ns_calibrator_network (NsCalibrator *c)
{
  return c->network;
}

void
ns_calibrator_cancel (NsCalibrator *c)
{
  ns_worker_cancel (c->worker);
}

gboolean
ns_calibrator_finish (NsCalibrator *c, NsCalibration *calibration, GError **error)
{
  GError   *failure = NULL;
  gboolean  ok = ns_worker_join (c->worker, &failure);

  if (ok)
    *calibration = c->calibration;
  else if (g_error_matches (failure, NS_ERROR, NS_ERROR_CANCELLED))
    g_clear_error (&failure);
  else if (failure != NULL && failure->domain == NS_ERROR)
    ns_propagate_user_error (error, g_steal_pointer (&failure), c->network);
  else if (failure != NULL)
    g_propagate_error (error, g_steal_pointer (&failure));   /* translated */
  ns_worker_free (c->worker);
  g_free (c);
  return ok;
}
