"""What happens when a layer is called on KerasTensors instead of real data.

1. The layer builds its weights from the input *shapes*.
2. It checks those shapes against its `input_spec`.
3. It works out its output shapes (`compute_output_spec`), receiving the
   input's symbolic mask as `mask=` when its `call` takes one.
4. A `Node` records the call, linking the new outputs to the inputs.
5. A layer that `supports_masking` gives its outputs a symbolic mask
   (`compute_mask`), so the layers after it see one too.
"""

import functools

import torch

from minilib.backend import config, dtype_name, to_torch_dtype
from minilib.graph.keras_tensor import KerasTensor
from minilib.graph.node import Node
from minilib.layers import mask_propagation
from minilib.utils import tree


def symbolic_call(layer, args, kwargs):
    """Record `layer(*args, **kwargs)` in the graph and return symbolic outputs."""
    inputs = args[0] if args else next(iter(kwargs.values()))
    shapes = tree.map_structure(lambda t: t.shape, inputs)
    if not layer.built:
        layer._maybe_build(shapes)
    layer._check_input_spec(shapes)
    mask = kwargs.get("mask")
    spec_kwargs = kwargs
    if mask is None:
        mask = mask_propagation.mask_of(inputs)
        if mask is not None and layer._call_takes_mask:
            spec_kwargs = {**kwargs, "mask": mask}
    outputs = layer.compute_output_spec(*args, **spec_kwargs)
    # The node keeps the caller's arguments: when the model runs, the mask comes
    # with the real tensors, so the symbolic mask need not be an input of the node.
    Node(layer, args, kwargs, outputs)
    if layer.supports_masking and (mask is not None or layer._computes_own_mask):
        mask_propagation.attach_mask(outputs, infer_output_mask(layer, inputs, mask))
    return outputs


def infer_output_spec(layer, args, kwargs):
    """Find output shapes by running the layer on small tensors of zeros.

    Unknown sizes (`None`) are filled in twice, with 2 and then with 3. An output
    size that changes between the two runs depends on an unknown input size, so
    it is unknown (`None`) too. Layers that know their shapes in advance override
    `compute_output_shape` and skip this.
    """
    call_kwargs = {k: v for k, v in kwargs.items() if k != "training"}
    runs = []
    for fill in (2, 3):
        real_args, real_kwargs = tree.map_structure(functools.partial(_placeholder, fill=fill),
                                                    (list(args), call_kwargs))
        with torch.no_grad():
            runs.append(layer(*real_args, training=False, **real_kwargs))
    layer._clear_losses()  # losses of runs on placeholders are not real losses
    flat = [_to_symbolic(a, b) for a, b in zip(tree.flatten(runs[0]), tree.flatten(runs[1]),
                                               strict=True)]
    return tree.pack_as(runs[0], flat)


def infer_output_mask(layer, inputs, mask):
    """The symbolic mask of the outputs: `layer.compute_mask` run as `infer_output_spec` does.

    A mask that `compute_mask` passes on unchanged stays the same symbolic
    tensor; a new one gets its shape from two runs on placeholders.
    """
    if not layer._computes_own_mask:
        return mask  # the default compute_mask passes the mask on
    runs = []
    for fill in (2, 3):
        real_inputs, real_mask = tree.map_structure(functools.partial(_placeholder, fill=fill),
                                                    (inputs, mask))
        with torch.no_grad():
            runs.append((tree.flatten(real_mask), layer.compute_mask(real_inputs, real_mask)))
    (given, small), (_, large) = runs

    def to_symbolic(first, second):
        if first is None:
            return None
        for real, symbolic in zip(given, tree.flatten(mask), strict=True):
            if first is real:
                return symbolic
        return _to_symbolic(first, second)

    flat = [to_symbolic(a, b) for a, b in zip(tree.flatten(small), tree.flatten(large),
                                              strict=True)]
    return tree.pack_as(small, flat)


def _placeholder(value, fill):
    """Zeros in place of a KerasTensor, its unknown sizes set to `fill`."""
    if not isinstance(value, KerasTensor):
        return value
    shape = [fill if dim is None else dim for dim in value.shape]
    return torch.zeros(shape, dtype=to_torch_dtype(value.dtype), device=config.device())


def _to_symbolic(small, large):
    """A KerasTensor for two results of different fills: sizes that differ are unknown."""
    shape = [a if a == b else None for a, b in zip(small.shape, large.shape, strict=True)]
    return KerasTensor(shape, dtype=dtype_name(small.dtype))
