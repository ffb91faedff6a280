"""Automatic names: the first Dense layer is `dense`, the next `dense_1`, and so on."""

import re

_counts = {}


def to_snake_case(name):
    """`"BatchNormalization"` becomes `"batch_normalization"`.

    Example:

    >>> to_snake_case("BatchNormalization")
    'batch_normalization'
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix):
    """Return `prefix` the first time, then `prefix_1`, `prefix_2`, ...

    Example:

    >>> [minilib.backend.unique_name("block") for _ in range(3)]
    ['block', 'block_1', 'block_2']
    """
    count = _counts.get(prefix, 0)
    _counts[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def clear_session():
    """Forget the names handed out so far, so a new model starts again at `dense`.

    Example:

    >>> minilib.layers.Dense(2).name, minilib.layers.Dense(2).name
    ('dense', 'dense_1')
    >>> minilib.backend.clear_session()
    >>> minilib.layers.Dense(2).name
    'dense'
    """
    _counts.clear()
