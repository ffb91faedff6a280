"""InputSpec: what a layer accepts, so a wrong input fails with a clear message."""


class InputSpec:
    """Constraints on the rank and sizes of a layer's input.

    A layer sets `self.input_spec`, and its calls check their input against it
    (each new input shape once): a wrong input fails at once with a message naming
    the layer, rather than deep inside a matrix product. A Dense layer built for
    4 features declares `InputSpec(min_ndim=2, axes={-1: 4})`.

    Args:
        dtype: the expected dtype (stored only).
        shape: the full expected shape; None entries match any size.
        ndim: the exact number of dimensions.
        max_ndim, min_ndim: bounds on the number of dimensions.
        axes: `{axis: size}` for the axes whose size is fixed.
        allow_last_axis_squeeze, name, optional: Keras's options, stored only.

    Example:

    >>> dense = minilib.layers.Dense(3)
    >>> y = dense(np.ones((32, 4)))
    >>> dense.input_spec
    InputSpec(min_ndim=2, axes={-1: 4})
    >>> dense(np.ones((32, 5)))
    Traceback (most recent call last):
    ...
    ValueError: Layer '...' expected axis -1 of its input to have size 4,
    but received an input of shape (32, 5).
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self):
        parts = [f"{key}={value}" for key, value in vars(self).items() if value]
        return f"InputSpec({', '.join(parts)})"


def check_input(spec, shape, layer_name, input_index=0):
    """Raise a ValueError naming the layer if `shape` breaks `spec`."""
    shape = tuple(shape)
    where = f"Layer '{layer_name}'" + (f" (input {input_index})" if input_index else "")
    rank = len(shape)
    if spec.ndim is not None and rank != spec.ndim:
        raise ValueError(f"{where} expected an input with {spec.ndim} dimensions, "
                         f"but received an input of shape {shape} ({rank} dimensions).")
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise ValueError(f"{where} expected an input with at least {spec.min_ndim} dimensions, "
                         f"but received an input of shape {shape} ({rank} dimensions).")
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise ValueError(f"{where} expected an input with at most {spec.max_ndim} dimensions, "
                         f"but received an input of shape {shape} ({rank} dimensions).")
    for axis, size in spec.axes.items():
        if size is not None and -rank <= axis < rank and shape[axis] not in (size, None):
            raise ValueError(f"{where} expected axis {axis} of its input to have size {size}, "
                             f"but received an input of shape {shape}.")
    if spec.shape is not None:
        for axis, (want, got) in enumerate(zip(spec.shape, shape, strict=True)):
            if want is not None and got is not None and want != got:
                raise ValueError(f"{where} expected an input of shape {spec.shape}, "
                                 f"but received an input of shape {shape} (axis {axis} differs).")
