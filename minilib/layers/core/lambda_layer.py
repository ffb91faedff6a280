"""Lambda: wrap a small function as a layer."""

from minilib.layers.layer import Layer


class Lambda(Layer):
    """Apply `function(inputs, **arguments)`.

    Handy for one-off arithmetic in a functional model. A Lambda layer cannot be
    saved to a file, because Python functions are not portable data: write a small
    Layer subclass instead when the model must be saved.

    Args:
        function: the function to apply to the input tensor(s).
        output_shape: the output shape without the batch size, if it cannot be found
            by running the function.
        mask: accepted for Keras compatibility; not used.
        arguments: extra keyword arguments passed to `function`.

    Input shape:
        Whatever `function` accepts.

    Output shape:
        `(batch, *output_shape)` if given, else whatever `function` returns.

    Example:

    >>> double = minilib.layers.Lambda(lambda x: x * 2)
    >>> double(np.array([[1.0, 2.0]]))
    tensor([[2., 4.]])
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.output_shape = tuple(output_shape) if output_shape is not None else None
        self.arguments = arguments or {}

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            return super().compute_output_shape(input_shape)
        return (input_shape[0], *self.output_shape)

    def get_config(self):
        raise NotImplementedError(
            f"Lambda layer '{self.name}' cannot be saved: its Python function is not "
            f"portable. Write a Layer subclass with get_config() instead.")
