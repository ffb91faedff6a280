"""ActivityRegularization: a layer that adds a penalty on the size of its input to the loss."""

from minilib import regularizers
from minilib.layers.layer import Layer


class ActivityRegularization(Layer):
    """Add `l1 * sum(|x|) + l2 * sum(x**2)` to the loss; return `x` unchanged.

    On every call it adds to the model's loss (through `add_loss`)::

        penalty = l1 * sum(|x|) + l2 * sum(x ** 2)

    summed over the whole batch, as Keras 3 does. Large activations then cost
    something, which pushes the network towards small or sparse (with `l1`)
    activations.

    Args:
        l1: the weight of the absolute-value penalty (default 0).
        l2: the weight of the squared penalty (default 0).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> reg = minilib.layers.ActivityRegularization(l1=0.01)
    >>> y = reg(np.ones((2, 3)))
    >>> reg.losses[0]    # 0.01 * 6
    tensor(0.0600)
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
