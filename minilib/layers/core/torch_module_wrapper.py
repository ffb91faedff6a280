"""TorchModuleWrapper: use any `torch.nn.Module` as a minilib layer."""

import torch

from minilib.backend.dtypes import dtype_name
from minilib.backend.variable import Variable
from minilib.layers.layer import Layer


class TorchModuleWrapper(Layer):
    """A minilib layer that runs a `torch.nn.Module` and trains its parameters.

    Every minilib layer already *is* a `torch.nn.Module`; this wrapper goes the
    other way, so that ready-made PyTorch modules can sit inside minilib models.

    What the wrapper does:

    * Each parameter and buffer of the module becomes a minilib `Variable`
      owned by the wrapper (parameters trainable, buffers such as BatchNorm's
      running statistics not), and the module is pointed at those variables. So
      they appear in `weights` and `trainable_weights`, optimizers update them,
      and `get_weights`, `save_weights` and `state_dict()` include them.
    * The module keeps working on its own and shares those variables, but it is
      no longer their owner: `module.parameters()` still lists them, while
      `module.state_dict()` is no longer the place to save them (use the model's).
    * `call` runs the module: `module.train()` while training, `module.eval()`
      otherwise. Shapes in a functional or Sequential model are found by running it.

    Saving: the weights save as for any layer (`save_weights`, `torch.save(
    model.state_dict())`). The *architecture* does not: a torch module is Python
    code, not data, and minilib never stores or loads code. `get_config()`, and
    so `model.save("m.keras")`, raise an error; rebuild the model in Python and
    load its weights instead. (Keras pickles the module into the config and
    refuses to load it unless `safe_mode=False`; minilib does not pickle at all.)

    Args:
        module: the `torch.nn.Module`. Lazy modules (`nn.LazyLinear`) must be
            initialized first, by calling them once.
        name: the layer's name.
        output_shape: the output shape without the batch size, to skip finding
            it by running the module on zeros (optional).

    Input shape:
        Whatever the module accepts.

    Output shape:
        Whatever the module returns.

    Example:

    >>> model = minilib.Sequential([
    ...     minilib.Input(shape=(16,)),
    ...     minilib.layers.TorchModuleWrapper(torch.nn.Linear(16, 8)),
    ...     minilib.layers.Dense(1),
    ... ])
    >>> [tuple(w.shape) for w in model.trainable_weights]   # the Linear's weight and bias too
    [(8, 16), (8,), (8, 1), (1,)]
    >>> model.compile(optimizer="adam", loss="mse")
    >>> history = model.fit(np.ones((4, 16)), np.ones((4, 1)), epochs=1, verbose=0)
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise TypeError(f"TorchModuleWrapper expects a torch.nn.Module, got {module!r}.")
        if (isinstance(module, torch.nn.modules.lazy.LazyModuleMixin)
                and module.has_uninitialized_params()):
            raise ValueError(f"TorchModuleWrapper: the lazy module {module} has no weights yet. "
                             f"Call it once on a sample batch before wrapping it.")
        # Kept out of torch's submodule registry, so that each tensor has one
        # owner (this layer) in `parameters()` and `state_dict()`.
        object.__setattr__(self, "module", module)
        self.output_shape = None if output_shape is None else tuple(output_shape)
        for tensor_name, tensor in list(module.named_parameters()):
            self._adopt(tensor_name, tensor, trainable=tensor.requires_grad)
        for tensor_name, tensor in list(module.named_buffers()):
            self._adopt(tensor_name, tensor, trainable=False)
        self.built = True

    def _adopt(self, tensor_name, tensor, trainable):
        """Make `tensor` a Variable of this layer, and point the module at it."""
        key = tensor_name.replace(".", "_")
        variable = Variable(tensor.detach(), dtype=dtype_name(tensor.dtype),
                            trainable=trainable, name=key)
        if not self.trainable:
            variable.requires_grad_(False)
        variable.path = f"{self.name}/{key}"
        self.register_parameter(key, variable)
        owner_path, _, attribute = tensor_name.rpartition(".")
        owner = self.module.get_submodule(owner_path)
        owner._buffers.pop(attribute, None)
        setattr(owner, attribute, variable)  # nn.LSTM and friends see the change too

    def call(self, *args, training=None, **kwargs):
        self.module.train(bool(training))
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            return super().compute_output_shape(input_shape)
        return (input_shape[0], *self.output_shape)

    def get_config(self):
        raise NotImplementedError(
            f"TorchModuleWrapper '{self.name}' cannot be saved as a config: its torch module "
            f"is Python code, and minilib does not store code in files. Save the weights "
            f"instead (model.save_weights('m.weights.h5') or torch.save(model.state_dict(), "
            f"'m.pt')), rebuild the model in Python, and load them back.")

    def __repr__(self):
        return f"<TorchModuleWrapper name={self.name}, module={self.module}>"
