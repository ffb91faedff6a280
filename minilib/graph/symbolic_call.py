"""What happens when a layer is called on KerasTensors instead of real data.

1. The layer builds its weights from the input *shapes*.
2. It checks those shapes against its `input_spec`.
3. It works out its output shapes (`compute_output_spec`).
4. A `Node` records the call, linking the new outputs to the inputs.
"""

import torch

from minilib.backend import config, dtype_name, to_torch_dtype
from minilib.graph.keras_tensor import KerasTensor
from minilib.graph.node import Node
from minilib.utils import tree


def symbolic_call(layer, args, kwargs):
    """Record `layer(*args, **kwargs)` in the graph and return symbolic outputs."""
    inputs = args[0] if args else next(iter(kwargs.values()))
    shapes = tree.map_structure(lambda t: t.shape, inputs)
    if not layer.built:
        layer._maybe_build(shapes)
    layer._check_input_spec(shapes)
    outputs = layer.compute_output_spec(*args, **kwargs)
    Node(layer, args, kwargs, outputs)
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
        def placeholder(value, fill=fill):
            if not isinstance(value, KerasTensor):
                return value
            shape = [fill if dim is None else dim for dim in value.shape]
            return torch.zeros(shape, dtype=to_torch_dtype(value.dtype), device=config.device())

        real_args, real_kwargs = tree.map_structure(placeholder, (list(args), call_kwargs))
        with torch.no_grad():
            runs.append(layer(*real_args, training=False, **real_kwargs))

    def to_symbolic(small, large):
        shape = [a if a == b else None for a, b in zip(small.shape, large.shape, strict=True)]
        return KerasTensor(shape, dtype=dtype_name(small.dtype))

    flat = [to_symbolic(a, b) for a, b in zip(tree.flatten(runs[0]), tree.flatten(runs[1]),
                                              strict=True)]
    return tree.pack_as(runs[0], flat)
