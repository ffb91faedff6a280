"""Model: a layer that can also be trained, evaluated, saved and summarized."""

import numpy as np
import torch

from minilib.backend import config
from minilib.layers.layer import Layer
from minilib.layers.layer_building import default_build
from minilib.models.functional_config import functional_from_config
from minilib.models.model_json import model_to_json
from minilib.models.summary import print_summary
from minilib.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """A trainable model. `Model(inputs, outputs)` makes a functional model.

    There are three ways to make one, as in Keras:

    * **Sequential**: a plain stack, `Sequential([Dense(64, activation="relu"), Dense(10)])`.
    * **Functional**: `Model(inputs, outputs)` after calling layers on `Input` tensors;
      any graph of layers (several inputs or outputs, shared layers, branches).
    * **Subclassing**: write a class with layers made in `__init__` and a `call` method.
      A subclass that only overrides training (`train_step`, `metrics`, ...) can also be
      built the functional way, `MyModel(inputs, outputs)`, as in Keras.

    The training methods (`compile`, `fit`, `evaluate`, `predict`, ...) come from
    `Trainer`; saving and `summary()` are here. A model is a `Layer`, so it can be
    called inside another model, and a `torch.nn.Module`.

    Args:
        inputs: symbolic input(s) from `minilib.Input`: one, a list, or a dict.
        outputs: symbolic output(s) reached from those inputs.
        name: the model's name.

    Example, the functional way:

    >>> inputs = minilib.Input(shape=(4,))
    >>> outputs = minilib.layers.Dense(2)(inputs)
    >>> model = minilib.Model(inputs, outputs)
    >>> model
    <Functional name=functional, built=True>
    >>> model(np.ones((3, 4))).shape
    torch.Size([3, 2])

    Example, by subclassing (the layers build on the first call):

    >>> class TwoLayers(minilib.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = minilib.layers.Dense(8, activation="relu")
    ...         self.out = minilib.layers.Dense(1)
    ...     def call(self, inputs):
    ...         return self.out(self.hidden(inputs))
    >>> TwoLayers()(np.ones((2, 3))).shape
    torch.Size([2, 1])
    """

    # What kind of model this is, as Keras's `_obj_type()`, for code that the model classes
    # import and so cannot import them: saving (`model.save`) and functional_config.py.
    _obj_type = "Model"

    def __new__(cls, *args, **kwargs):
        if cls is Model and is_functional_call(args, kwargs):
            from minilib.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if is_functional_call(args, kwargs):
            # `MyModel(inputs, outputs)` for a subclass `MyModel(Model)`: as in Keras,
            # MyModel then inherits from Functional, keeping its own train_step & co.
            from minilib.models.functional import Functional, make_functional

            make_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        if args:
            raise TypeError(f"{type(self).__name__}() takes keyword arguments only; "
                            f"to build a functional model use Model(inputs, outputs).")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a model from `get_config()`; a functional config gives a functional model."""
        if "input_layers" in config and "output_layers" in config:
            # Model(inputs=..., outputs=...) makes a Functional, as in __new__.
            return functional_from_config(cls, config, custom_objects)
        return cls(**config)

    @property
    def layers(self):
        """The model's layers, in order."""
        return self._layers

    def get_layer(self, name=None, index=None):
        """Find a layer by `name` or by position `index` in `layers`."""
        if index is not None and name is not None:
            raise ValueError("get_layer: give either `name` or `index`, not both.")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"get_layer: index {index} is out of range; model "
                                 f"'{self.name}' has {len(self.layers)} layers.")
            return self.layers[index]
        if name is None:
            raise ValueError("get_layer: give the layer's `name` or `index`.")
        for layer in self.layers:
            if layer.name == name:
                return layer
        names = ", ".join(layer.name for layer in self.layers)
        raise ValueError(f"No layer named '{name}' in model '{self.name}'. Its layers: {names}.")

    @default_build
    def build(self, input_shape):
        """Create all weights by running the model once on zeros of `input_shape`.

        `None` sizes (such as the batch size) are taken as 1.
        """
        def zeros(shape):
            return torch.zeros([1 if d is None else d for d in shape], device=config.device())

        shapes = input_shape
        is_single = isinstance(shapes, tuple | list) and all(
            d is None or isinstance(d, int) for d in shapes)
        dummy = zeros(shapes) if is_single else [zeros(s) for s in shapes]
        with torch.no_grad():
            self(dummy, training=False)
        self.built = True

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print a table of the layers, their output shapes and parameter counts."""
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable)

    def save(self, filepath, overwrite=True):
        """Save the architecture, weights and optimizer state to a `.keras` file."""
        from minilib.saving import save_model

        save_model(self, filepath, overwrite=overwrite)

    def to_json(self, **kwargs):
        """The architecture as a JSON string (no weights); `kwargs` go to `json.dumps`.

        `minilib.models.model_from_json(model.to_json())` makes the same model
        with fresh weights. The string is in Keras's format, so Keras reads it too.
        """
        return model_to_json(self, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Save only the weights, to a `.weights.h5` file."""
        from minilib.saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Load weights saved by `save_weights` (or from a `.keras` file)."""
        from minilib.saving import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def export(self, filepath, format="tf_saved_model", verbose=None, input_signature=None,
               **kwargs):
        """Save the inference pass for serving without minilib. Only `format="onnx"`.

        `model.export("model.onnx", format="onnx")` writes a file that ONNX
        Runtime runs; see `minilib.export.export_onnx` for the arguments
        (`opset_version` goes in `kwargs`). Keras's other formats need TensorFlow,
        OpenVINO or LiteRT, which minilib does not use.
        """
        if format != "onnx":
            raise ValueError(f"minilib exports only to ONNX: call model.export(path, "
                             f"format='onnx'). Got format={format!r}.")
        from minilib.export.onnx import export_onnx

        export_onnx(self, filepath, verbose=verbose, input_signature=input_signature, **kwargs)

    def count_params(self):
        if not self.built:
            raise ValueError(f"Model '{self.name}' is not built yet, so it has no weights to "
                             f"count. Call it on a batch of data, or call "
                             f"model.build(input_shape), first.")
        return sum(int(np.prod(w.shape)) for w in self.weights)


def is_functional_call(args, kwargs):
    """True for the arguments of a functional model: `(inputs, outputs)`, as positions or names."""
    return len(args) == 2 or (len(args) == 1 and "outputs" in kwargs) or (
        "inputs" in kwargs and "outputs" in kwargs)
