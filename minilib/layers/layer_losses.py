"""Extra losses that layers add to the model's loss: `add_loss` and weight penalties.

A layer can ask training to minimize more than the loss of its outputs: a value
it computes in `call` (`self.add_loss(...)`, e.g. an activity regularizer), or
a penalty on a weight (`add_weight(regularizer=...)`). `layer.losses` gathers
both from the layer and everything inside it; the trainer adds them up:

    >>> dense = minilib.layers.Dense(2, kernel_regularizer="l2")
    >>> y = dense(np.ones((1, 3)))
    >>> len(dense.losses)                           # the kernel's L2 penalty
    1
"""


class LayerLosses:
    """The loss part of `Layer`, which mixes it in: `add_loss` and `losses`."""

    def add_loss(self, loss):
        """Add a value to minimize during training, from inside `call`.

        The list lasts until this layer, or a layer holding it, is called again
        from outside any layer call: `model(x)` empties the lists of all its layers.
        """
        self._losses.append(loss)

    def _clear_losses(self):
        for layer in [self, *self._descendants()]:
            if layer._losses:  # most layers never add one: leave their empty list alone
                layer._losses.clear()

    @property
    def losses(self):
        """Losses from `add_loss` in this layer's latest forward pass, plus weight penalties."""
        return losses_of([self, *self._descendants()])


def losses_of(layers):
    """The `add_loss` values of the latest forward pass and the weight penalties of `layers`."""
    found = []
    for layer in layers:
        found.extend(layer._losses)
        found.extend(regularizer(variable) for variable, regularizer in layer._weight_regularizers)
    return found
