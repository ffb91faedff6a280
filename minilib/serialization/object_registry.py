"""The registry of your own classes and functions, so saved models can find them again.

A saved model names each object by its class, e.g. `"MyLayer"`, and each
function by its name, e.g. `"my_activation"`. minilib's own classes and
functions are found automatically; yours must be made known, in one of three ways::

    @minilib.saving.register_keras_serializable(package="my_project")
    class MyLayer(minilib.layers.Layer):
        ...                          # saved as "my_project>MyLayer", found on load

    model = minilib.models.load_model("model.keras", custom_objects={"MyLayer": MyLayer})

    with minilib.saving.custom_object_scope({"MyLayer": MyLayer}):
        model = minilib.models.load_model("model.keras")

All loaders find names through `get_registered_object`, so the three ways work
for every kind of saved object: layers, models, losses, metrics and activations.
"""

import inspect

_REGISTERED_OBJECTS = {}  # "package>Name" -> class or function
_REGISTERED_NAMES = {}  # class or function -> "package>Name"
_active_scopes = []  # dicts from enclosing `custom_object_scope` blocks, innermost last


def register_keras_serializable(package="Custom", name=None):
    """Decorator that registers a class or function under `"package>name"`.

    Args:
        package: a prefix that keeps your names apart from other projects' names.
        name: the name to register under; by default the class or function name.

    Example: a registered activation survives saving, by its registered name.

    >>> @minilib.saving.register_keras_serializable(package="my_project")
    ... def halve(x):
    ...     return x / 2
    >>> layer = minilib.layers.Dense(2, activation=halve)
    >>> minilib.layers.deserialize(minilib.layers.serialize(layer)).activation is halve
    True
    >>> del minilib.saving.get_custom_objects()["my_project>halve"]   # unregister it again
    """

    def register(obj):
        registered_name = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register {obj.__name__}: a class must have a get_config() "
                             f"method so it can be saved.")
        _REGISTERED_OBJECTS[registered_name] = obj
        _REGISTERED_NAMES[obj] = registered_name
        return obj

    return register


def get_registered_name(obj):
    """The name `obj` is saved under: `"package>Name"` if registered, else its own name.

    >>> minilib.saving.get_registered_name(minilib.layers.Dense)   # built in: its own name
    'Dense'
    >>> def triple(x):
    ...     return 3 * x
    >>> minilib.saving.get_registered_name(minilib.saving.register_keras_serializable()(triple))
    'Custom>triple'
    >>> del minilib.saving.get_custom_objects()["Custom>triple"]
    """
    return _REGISTERED_NAMES.get(obj, obj.__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function known as `name`, or None.

    This is the one lookup every loader uses (`load_model`, `model_from_json`,
    `layers.deserialize`, `activations.get`...). It looks, in Keras's order, in
    the active `custom_object_scope`s (innermost first), then in the registry,
    then in `custom_objects`, then in `module_objects` (the built-ins of the
    caller, such as the activation functions)::

        >>> def double(x):
        ...     return 2 * x
        >>> with custom_object_scope({"double": double}):
        ...     get_registered_object("double") is double
        True
    """
    for table in (*reversed(_active_scopes), _REGISTERED_OBJECTS, custom_objects or {},
                  module_objects or {}):
        if name in table:
            return table[name]
    return None


def get_custom_objects():
    """The registry itself, a live dict from registered name to class or function.

    Adding to it registers an object too: `get_custom_objects()["MyLayer"] = MyLayer`.
    Names from `custom_object_scope` blocks are not in it.

    >>> def cube(x):
    ...     return x ** 3
    >>> minilib.saving.get_custom_objects()["cube"] = cube
    >>> minilib.activations.get("cube") is cube                  # found by name now
    True
    >>> del minilib.saving.get_custom_objects()["cube"]
    """
    return _REGISTERED_OBJECTS


class CustomObjectScope:
    """`with CustomObjectScope({"MyLayer": MyLayer}):` makes those names known inside the block.

    Also spelled `custom_object_scope`. Inside the block, every loader (`load_model`,
    `model_from_json`, `activations.get`, ...) finds the names; after it, they are gone,
    and the registry was never changed.

    Args:
        *custom_objects: dicts from name to class or function.

    >>> def cube(x):
    ...     return x ** 3
    >>> with minilib.saving.custom_object_scope({"cube": cube}):
    ...     minilib.activations.get("cube") is cube
    True
    >>> minilib.activations.get("cube")
    Traceback (most recent call last):
    ...
    ValueError: Unknown activation 'cube'. ...
    """

    def __init__(self, *custom_objects):
        self.custom_objects = {k: v for table in custom_objects for k, v in (table or {}).items()}

    def __enter__(self):
        _active_scopes.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _active_scopes.pop()


custom_object_scope = CustomObjectScope
