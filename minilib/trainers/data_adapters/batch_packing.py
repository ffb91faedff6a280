"""One batch as a training step sees it, in Keras's three forms: x, (x, y), (x, y, w)."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The shortest of `x`, `(x,)`, `(x, y)` and `(x, y, sample_weight)` that holds the data.

    `x` alone stays bare, unless it is itself a list or tuple (several inputs), which
    would then be mistaken for `(x, y)`: that one goes in a 1-tuple.

    Example:

    >>> minilib.utils.pack_x_y_sample_weight("images", "labels")
    ('images', 'labels')
    >>> minilib.utils.pack_x_y_sample_weight("images")
    'images'
    >>> minilib.utils.pack_x_y_sample_weight(["image", "caption"])     # two inputs, no y
    (['image', 'caption'],)
    """
    if y is None:
        return (x,) if isinstance(x, list | tuple) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def unpack_x_y_sample_weight(data):
    """Split a batch into `(x, y, sample_weight)`; the parts it lacks are None.

    `fit(x, y)` hands `train_step` the tuple `(x, y)`; with `sample_weight=` it is
    `(x, y, sample_weight)`; with neither `y` nor weights it is `x` alone. A step
    written for any of these unpacks its batch with this function.

    Example:

    >>> x, y, sample_weight = minilib.utils.unpack_x_y_sample_weight(("images", "labels"))
    >>> y, sample_weight
    ('labels', None)
    >>> minilib.utils.unpack_x_y_sample_weight("images")
    ('images', None, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"A batch must be x, (x,), (x, y) or (x, y, sample_weight); got a "
                     f"sequence of {len(data)} items.")
