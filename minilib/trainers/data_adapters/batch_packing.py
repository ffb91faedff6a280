"""One batch as a training step sees it, in Keras's three forms.

`fit(x, y)` hands `train_step` the tuple `(x, y)`; with `sample_weight=` it is
`(x, y, sample_weight)`; with neither `y` nor weights it is `x` alone. A step
written for any of these unpacks with `unpack_x_y_sample_weight`:

    >>> x, y, sample_weight = unpack_x_y_sample_weight(("images", "labels"))
    >>> y, sample_weight
    ('labels', None)
    >>> pack_x_y_sample_weight("images", "labels")
    ('images', 'labels')
"""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The shortest of `x`, `(x,)`, `(x, y)` and `(x, y, sample_weight)` that holds the data.

    `x` alone stays bare, unless it is itself a list or tuple (several inputs), which
    would then be mistaken for `(x, y)`: that one goes in a 1-tuple.
    """
    if y is None:
        return (x,) if isinstance(x, list | tuple) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def unpack_x_y_sample_weight(data):
    """Split a batch into `(x, y, sample_weight)`; the parts it lacks are None."""
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
