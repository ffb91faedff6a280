"""A layer as its constructor arguments: `get_config` and `from_config`.

A saved model stores each layer's config, the arguments that make the same
layer again (with fresh weights; the weights are saved apart):

    >>> dense = minilib.layers.Dense(3, activation="relu")
    >>> config = dense.get_config()
    >>> config["units"], config["activation"]
    (3, 'relu')
    >>> minilib.layers.Dense.from_config(config).units
    3

A custom layer whose constructor takes only JSON-friendly values (numbers,
strings, lists) needs no `get_config`: the base class returns the arguments it
was made with. Any other layer overrides `get_config`, as in Keras.
"""

import inspect
import json


class LayerConfig:
    """The config part of `Layer`, which mixes it in: `get_config` and `from_config`."""

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        # Kept so that custom layers without get_config() can still be saved.
        object.__setattr__(layer, "_constructor_arguments", (args, kwargs))
        return layer

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        config_dict = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype}
        if type(self).get_config is LayerConfig.get_config:
            config_dict.update(self._captured_arguments())
        return config_dict

    def _captured_arguments(self):
        args, kwargs = self._constructor_arguments
        try:
            bound = inspect.signature(type(self).__init__).bind(None, *args, **kwargs)
        except TypeError:
            return {}
        captured = {k: v for k, v in bound.arguments.items() if k not in ("self", "kwargs")}
        captured.update(bound.arguments.get("kwargs", {}))
        try:
            json.dumps(captured)
        except TypeError as error:
            raise NotImplementedError(
                f"Layer {type(self).__name__} cannot be saved automatically: {error}. "
                f"Override get_config() to return its constructor arguments.") from None
        return captured

    @classmethod
    def from_config(cls, config):
        """Make a new layer from `get_config()`'s output."""
        return cls(**config)
