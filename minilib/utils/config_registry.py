"""ConfigRegistry: find built-in objects of one kind by name, and save them as dicts."""

import inspect


class ConfigRegistry:
    """Named classes of one `kind` (e.g. "initializer") whose objects have `get_config()`.

    Initializers, regularizers and constraints work the same way: a layer accepts
    a name (`"glorot_uniform"`), a saved config dict, a class, an instance or any
    callable, and saves an instance as `{"class_name": ..., "config": ...}`.
    Each of those modules makes one ConfigRegistry and exposes its three methods
    as `serialize`, `deserialize` and `get`.

    Example:

    >>> class Scale:
    ...     def __init__(self, factor=1.0):
    ...         self.factor = factor
    ...     def get_config(self):
    ...         return {"factor": self.factor}
    ...     @classmethod
    ...     def from_config(cls, config):
    ...         return cls(**config)
    >>> registry = ConfigRegistry("scale", Scale, {"Scale": Scale, "scale": Scale})
    >>> registry.serialize(Scale(2.0))
    {'class_name': 'Scale', 'config': {'factor': 2.0}}
    >>> registry.get({"class_name": "scale", "config": {"factor": 3.0}}).factor
    3.0
    """

    def __init__(self, kind, base_class, by_name):
        self.kind = kind
        self.base_class = base_class
        self.by_name = by_name

    def serialize(self, obj):
        """A config to save: a `{"class_name", "config"}` dict for objects of the registry's kind.

        A plain function gives its name (which `deserialize` will not know) and
        None gives None, so a layer's `get_config` always works.

        Example:

        >>> minilib.initializers.serialize(minilib.initializers.Constant(2.0))
        {'class_name': 'Constant', 'config': {'value': 2.0}}
        >>> minilib.regularizers.serialize(minilib.regularizers.L2(0.1))
        {'class_name': 'L2', 'config': {'l2': 0.1}}
        >>> minilib.constraints.serialize(minilib.constraints.MaxNorm(3))
        {'class_name': 'MaxNorm', 'config': {'max_value': 3, 'axis': 0}}
        """
        if obj is None:
            return None
        if isinstance(obj, self.base_class):
            return {"class_name": type(obj).__name__, "config": obj.get_config()}
        return obj.__name__

    def deserialize(self, config):
        """Build an object from a name such as `"l2"` or from a `serialize` dict.

        Example:

        >>> minilib.regularizers.deserialize({"class_name": "L2", "config": {"l2": 0.1}}).l2
        0.1
        >>> minilib.initializers.deserialize("uniform")          # an older Keras name
        <minilib.initializers.random_initializers.RandomUniform object at ...>
        >>> minilib.constraints.deserialize("non_neg")
        <minilib.constraints.NonNeg object at ...>
        """
        if config is None:
            return None
        name = config["class_name"] if isinstance(config, dict) else config
        if name not in self.by_name:
            raise ValueError(f"Unknown {self.kind} {name!r}. Valid names: "
                             f"{', '.join(sorted(self.by_name))}.")
        settings = config.get("config", {}) if isinstance(config, dict) else {}
        return self.by_name[name].from_config(settings)

    def get(self, identifier):
        """Turn a name, a `serialize` dict, a class, an object, a callable or None into an object.

        Any other callable is returned as it is, so plain functions work too.
        This is how `Dense(3, kernel_initializer="he_normal")` finds its initializer.

        Example:

        >>> minilib.initializers.get("he_normal")
        <minilib.initializers.random_initializers.HeNormal object at ...>
        >>> minilib.regularizers.get(minilib.regularizers.L1)    # a class: a new object
        <minilib.regularizers.L1 object at ...>
        >>> minilib.constraints.get(None) is None
        True
        """
        if identifier is None or isinstance(identifier, self.base_class):
            return identifier
        if isinstance(identifier, str | dict):
            return self.deserialize(identifier)
        if inspect.isclass(identifier):
            return identifier()
        if callable(identifier):
            return identifier
        article = "an" if self.kind[0] in "aeiou" else "a"
        raise ValueError(f"Cannot interpret {identifier!r} as {article} {self.kind}: give a "
                         f"name, a config dict or a callable.")
