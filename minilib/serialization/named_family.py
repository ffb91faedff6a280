"""NamedFamily: the one way minilib finds a loss, a metric, an optimizer... by name.

`compile(optimizer="adam", loss="mse", metrics=["mae"])` and
`Dense(3, activation="relu", kernel_initializer="he_normal")` all work the same
way: each kind of object (activations, initializers, regularizers, constraints,
losses, metrics, optimizers, learning rate schedules) is a `NamedFamily`, and
its module exposes the family's three methods, as Keras does:

- `get(identifier)`: what a layer or `compile` calls on whatever you gave it;
- `serialize(obj)`: the JSON-friendly dict saved in a config or a `.keras` file;
- `deserialize(config)`: that dict (or a name) back into an object.

Your own classes and functions are found the way every loader finds them
(`get_registered_object`): in a `custom_object_scope`, in the registry of
`register_keras_serializable`, or in the `custom_objects` you pass.

Example, a family of one class:

>>> class Scale:
...     def __init__(self, factor=1.0):
...         self.factor = factor
...     def get_config(self):
...         return {"factor": self.factor}
...     @classmethod
...     def from_config(cls, config):
...         return cls(**config)
>>> scales = NamedFamily("scale", {"Scale": Scale, "scale": Scale}, base_class=Scale)
>>> scales.get("scale").factor
1.0
>>> scales.get({"class_name": "Scale", "config": {"factor": 3.0}}).factor
3.0
>>> scales.get("scael")
Traceback (most recent call last):
...
ValueError: Unknown scale 'scael'. Did you mean 'scale'? Valid names: Scale, scale. If it ...
"""

import difflib
import inspect

from minilib.serialization import object_registry
from minilib.serialization.keras_only_options import drop_keras_only_options
from minilib.serialization.object_configs import serialize_keras_object


class NamedFamily:
    """The built-in objects of one kind, by name, with Keras's `get`/`serialize`/`deserialize`.

    Args:
        kind: what one object is called in messages, e.g. `"loss"`.
        names: `{name: class_or_function}`, every name `get` understands
            (`"mse"`, `"mean_squared_error"`, `"MeanSquaredError"`...).
        base_class: the family's base class; `get` returns its instances unchanged.
        functions: `{name: function}` for saved functions (`"class_name": "function"`);
            by default the functions among `names`.
        when_none: what `get(None)` gives (activations give `linear`).
        accepts_functions: whether `get` passes a plain function through
            (optimizers are objects only).
        ignore_case: whether names match in any case (`"Adam"`, `"adam"`), as
            Keras does for optimizers.
    """

    def __init__(self, kind, names, base_class=None, *, functions=None, when_none=None,
                 accepts_functions=True, ignore_case=False):
        self.kind = kind
        self.names = names
        self.base_class = base_class
        self.functions = functions if functions is not None else {
            name: found for name, found in names.items() if not inspect.isclass(found)}
        self.when_none = when_none
        self.accepts_functions = accepts_functions
        self.ignore_case = ignore_case

    def find(self, name, custom_objects=None, table=None):
        """The class or function called `name`: yours first, then the built-ins in `table`.

        Example:

        >>> minilib.activations.get("relu") is minilib.activations.relu   # via find("relu")
        True
        """
        table = self.names if table is None else table
        found = object_registry.get_registered_object(name, custom_objects, table)
        if found is None and self.ignore_case:
            found = {key.lower(): value for key, value in table.items()}.get(name.lower())
        if found is not None:
            return found
        fold = str.lower if self.ignore_case else str
        originals = {fold(key): key for key in table}
        close = difflib.get_close_matches(fold(name), originals, n=1)
        suggestion = f" Did you mean {originals[close[0]]!r}?" if close else ""
        raise ValueError(f"Unknown {self.kind} {name!r}.{suggestion} Valid names: "
                         f"{', '.join(sorted(table))}. If it is your own, pass "
                         f"custom_objects={{{name!r}: ...}} or register it with "
                         f"@minilib.saving.register_keras_serializable().")

    def get(self, identifier):
        """Turn a name, a saved dict, a class, an object or a function into an object.

        A name of a class gives a new object with the default arguments; a name
        of a function gives the function.

        Example:

        >>> minilib.initializers.get("he_normal")
        <minilib.initializers.variance_scaling.HeNormal object at ...>
        >>> minilib.regularizers.get(minilib.regularizers.L1)    # a class: a new object
        <minilib.regularizers.L1 object at ...>
        >>> minilib.constraints.get(None) is None
        True
        """
        if identifier is None:
            return self.when_none
        if self.base_class is not None and isinstance(identifier, self.base_class):
            return identifier
        if isinstance(identifier, str | dict):
            return self.deserialize(identifier)
        if inspect.isclass(identifier):
            return identifier()
        if callable(identifier) and self.accepts_functions:
            return identifier
        choices = ["a name", "a config dict"]
        if self.base_class is not None:
            choices.append(f"an instance of {self.base_class.__name__}")
        if self.accepts_functions:
            choices.append("a function")
        raise ValueError(f"Could not interpret {self.kind} identifier {identifier!r}: give "
                         f"{', '.join(choices[:-1])} or {choices[-1]}.")

    def serialize(self, obj):
        """The config Keras saves for `obj`: `{"module", "class_name", "config", ...}`.

        It is `serialize_keras_object`'s dict, the same for every family.

        Example:

        >>> minilib.regularizers.serialize(minilib.regularizers.L2(0.1))
        {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.1},
         'registered_name': None}
        """
        return serialize_keras_object(obj)

    def deserialize(self, config, custom_objects=None):
        """Build an object from a name such as `"l2"` or from a `serialize` dict.

        Dicts saved by real Keras work (options only Keras has, such as
        `use_ema=False`, are dropped: see `keras_only_options`), and so do dicts
        without `"module"` (older minilib and Keras 2 files).

        Example:

        >>> minilib.constraints.deserialize("non_neg")
        <minilib.constraints.NonNeg object at ...>
        >>> minilib.initializers.deserialize({"class_name": "Constant",
        ...                                   "config": {"value": 2.0}}).value
        2.0
        """
        if config is None:
            return None
        if isinstance(config, str):
            found = self.find(config, custom_objects)
            return found() if inspect.isclass(found) else found
        if config["class_name"] == "function":
            return self.find(config["config"], custom_objects, self.functions)
        config = drop_keras_only_options(config, f"deserialize({self.kind})")
        cls = self.find(_saved_name(config, custom_objects), custom_objects)
        with object_registry.custom_object_scope(custom_objects):
            return cls.from_config(config.get("config") or {})


def _saved_name(config, custom_objects):
    """The name to look a saved class up by: its registered name ("my_package>MyLoss") if
    one of yours answers to it, else its class name."""
    registered = config.get("registered_name")
    if registered and object_registry.get_registered_object(registered, custom_objects):
        return registered
    return config["class_name"]
