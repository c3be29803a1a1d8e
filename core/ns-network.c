/* ns-network.c: dispatch of the feature-network interface. */
#include "ns-network.h"

#include "ns-error.h"

NsActivations *
ns_network_forward (NsNetwork *net, const NsImage *input,
                    const gboolean *wanted, GError **error)
{
  NsWindow whole = { 0, 0, 0, 0 };

  g_return_val_if_fail (input != NULL, NULL);
  whole.whole_width = input->width;
  whole.whole_height = input->height;
  return ns_network_forward_window (net, input, &whole, wanted, error);
}

NsActivations *
ns_network_forward_window (NsNetwork *net, const NsImage *input, const NsWindow *where,
                           const gboolean *wanted, GError **error)
{
  g_return_val_if_fail (net != NULL && input != NULL && where != NULL && wanted != NULL, NULL);

  if (input->channels != 3)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                   "network input needs 3 channels, got %d", input->channels);
      return NULL;
    }
  if (input->width < net->min_input_size || input->height < net->min_input_size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_IMAGE_TOO_SMALL,
                   "%s needs at least %dx%d pixels, got %dx%d", net->name,
                   net->min_input_size, net->min_input_size,
                   input->width, input->height);
      return NULL;
    }
  return net->klass->forward (net, input, where, wanted, error);
}

gboolean
ns_network_backward (NsNetwork *net, NsActivations *acts,
                     const NsTensor *grads, float *input_grad, GError **error)
{
  g_return_val_if_fail (net != NULL && acts != NULL && grads != NULL, FALSE);

  return net->klass->backward (net, acts, grads, input_grad, error);
}

void
ns_activations_free (NsActivations *acts)
{
  if (acts != NULL)
    acts->net->klass->activations_free (acts);
}

void
ns_network_free (NsNetwork *net)
{
  if (net != NULL)
    net->klass->free (net);
}

int
ns_network_find_output (NsNetwork *net, const char *name)
{
  for (int i = 0; i < net->n_outputs; i++)
    if (g_strcmp0 (net->output_names[i], name) == 0)
      return i;
  return -1;
}

NsImage *
ns_network_map_at_output (NsNetwork *net, const NsImage *map, int output,
                          GError **error)
{
  NsImage *at = ns_image_copy (map, error);

  for (int s = net->output_strides[output]; at != NULL && s > 1; s /= 2)
    {
      NsImage *half = net->klass->halve_map (net, at, error);

      ns_image_free (at);
      at = half;
    }
  return at;
}

gsize
ns_tensor_size (const NsTensor *t)
{
  return (gsize) t->channels * t->height * t->width;
}
