"""Nested structures: a model's inputs or outputs may be one tensor, a list, or a dict.

`flatten` lists the leaves in a fixed order and `pack_as` puts a flat list back
into the same shape, so code can work on flat lists and still return what the
user passed in::

    >>> flatten({"b": 2, "a": [1, 3]})
    [1, 3, 2]
    >>> pack_as({"b": 0, "a": [0, 0]}, [1, 3, 2])
    {'b': 2, 'a': [1, 3]}

Dicts are walked in sorted key order, as Keras does. Only plain lists, tuples
and dicts are walked into: a `torch.Size` or another tuple subclass is a leaf.
"""


def flatten(structure):
    """All leaves of `structure`, left to right (dicts in sorted key order)."""
    if type(structure) is dict:
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if type(structure) in (list, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_as(structure, flat):
    """Rebuild `structure` with the leaves taken, in order, from `flat`."""
    return _rebuild(structure, iter(flat))


def _rebuild(node, leaves):
    # A module-level function, not one nested in pack_as: a nested function that calls
    # itself is a reference cycle, which would keep `flat` (a batch's tensors, in fit)
    # alive until Python's garbage collector runs, instead of freeing it at once.
    if type(node) is dict:
        rebuilt = {key: _rebuild(node[key], leaves) for key in sorted(node)}
        return {key: rebuilt[key] for key in node}
    if type(node) in (list, tuple):
        return type(node)(_rebuild(item, leaves) for item in node)
    return next(leaves)


def map_structure(fn, structure):
    """Apply `fn` to every leaf and keep the nesting."""
    return pack_as(structure, [fn(leaf) for leaf in flatten(structure)])
