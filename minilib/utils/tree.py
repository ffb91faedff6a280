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
    leaves = iter(flat)

    def rebuild(node):
        if type(node) is dict:
            rebuilt = {key: rebuild(node[key]) for key in sorted(node)}
            return {key: rebuilt[key] for key in node}
        if type(node) in (list, tuple):
            return type(node)(rebuild(item) for item in node)
        return next(leaves)

    return rebuild(structure)


def map_structure(fn, structure):
    """Apply `fn` to every leaf and keep the nesting."""
    return pack_as(structure, [fn(leaf) for leaf in flatten(structure)])
