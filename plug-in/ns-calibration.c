/* ns-calibration.c: ns_calibrate on a worker thread. */
#include "ns-calibration.h"

#include "ns-error.h"
#include "ns-messages.h"
#include "ns-networks.h"
#include "ns-threads.h"

struct _NsCalibrator
{
  NsNetworkKind     kind;
  NsTransferParams  params;
  GThread          *thread;
  gint              done;
  gint              cancel;
  NsCalibration     calibration;
  gboolean          ok;
  GError           *error;       /* translated, or a core error */
};

static gpointer
calibrate (gpointer data)
{
  NsCalibrator *c = data;
  NsNetwork    *net = ns_networks_open (c->kind, &c->error);

  if (net != NULL)
    {
      c->ok = ns_calibrate (net, &c->params, &c->calibration, &c->error);
      ns_network_free (net);
    }
  g_atomic_int_set (&c->done, 1);
  return NULL;
}

NsCalibrator *
ns_calibrator_start (const NsSettings *settings)
{
  NsCalibrator *c = g_new0 (NsCalibrator, 1);

  c->kind = settings->network;
  ns_settings_to_transfer_params (settings, &c->params);
  c->params.cancel = &c->cancel;
  ns_set_num_threads (settings->threads);
  c->thread = g_thread_new ("ns-calibrate", calibrate, c);
  return c;
}

NsNetworkKind
ns_calibrator_network (NsCalibrator *c)
{
  return c->kind;
}

gboolean
ns_calibrator_is_done (NsCalibrator *c)
{
  return g_atomic_int_get (&c->done) != 0;
}

void
ns_calibrator_cancel (NsCalibrator *c)
{
  g_atomic_int_set (&c->cancel, 1);
}

gboolean
ns_calibrator_finish (NsCalibrator *c, NsCalibration *calibration,
                      GError **error)
{
  gboolean ok;

  g_thread_join (c->thread);
  ok = c->ok;
  if (ok)
    *calibration = c->calibration;
  else if (c->error != NULL && c->error->domain == NS_ERROR)
    {
      if (c->error->code != NS_ERROR_CANCELLED)
        *error = ns_user_error_from_core (c->error);
    }
  else if (c->error != NULL)
    g_propagate_error (error, g_steal_pointer (&c->error));
  g_clear_error (&c->error);
  g_free (c);
  return ok;
}
