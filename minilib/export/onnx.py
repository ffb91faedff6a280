"""export_onnx: save a model's forward pass as an ONNX file, for serving.

ONNX is a standard file format for computation graphs. The exported file
holds the inference computation (`model(x, training=False)`) and the weights,
but no Python: ONNX Runtime can run it from C++, C#, JavaScript or Python::

    model.export("model.onnx", format="onnx")

    import onnxruntime
    session = onnxruntime.InferenceSession("model.onnx")
    name = session.get_inputs()[0].name
    predictions = session.run(None, {name: x.astype("float32")})[0]

How it works: torch's exporter runs the model once on a small sample batch
and records every tensor operation (*tracing*). The batch dimension is marked
dynamic, so the file accepts any batch size; the other sizes are fixed to the
model's input shape. Python `if`s that depend on the *values* of the data are
frozen in the branch the sample took, so such models do not export faithfully.

minilib uses torch's TorchScript-based exporter (`dynamo=False`), as Keras does
for a dynamic batch size: it handles one reliably and needs only the `onnx`
package (the newer `torch.export`-based exporter also needs `onnxscript`).
`pip install onnx onnxruntime` to export and to run the file.
"""

import importlib.util
import warnings

import torch

from minilib.backend import config, to_torch_dtype
from minilib.graph.keras_tensor import KerasTensor
from minilib.utils import tree

SAMPLE_BATCH_SIZE = 2  # not 1: a size-1 sample can be mistaken for a fixed size


def export_onnx(model, filepath, verbose=None, input_signature=None, opset_version=None):
    """Write `model`'s inference pass to `filepath` in the ONNX format.

    Args:
        model: a built minilib model.
        filepath: where to write, e.g. "model.onnx".
        verbose: print a line once the file is saved (the default, as in Keras);
            False to stay silent.
        input_signature: the inputs' shapes and dtypes, as one object or a list
            of objects with `.shape` and `.dtype` (`minilib.Input(...)`,
            `InputSpec`, arrays). By default, the model's own inputs.
        opset_version: the ONNX operator set to target; torch's default if None.

    The ONNX inputs are named after the model's inputs (`session.get_inputs()`
    lists them); the outputs are `output_0`, `output_1`, ... in the order of
    `tree.flatten(model.outputs)`.
    """
    if importlib.util.find_spec("onnx") is None:
        raise ImportError("Exporting to ONNX needs the `onnx` package: pip install onnx")
    specs = _input_specs(model, input_signature)
    input_names = [_spec_name(spec, index) for index, spec in enumerate(specs)]
    samples = tuple(_sample(spec) for spec in specs)
    view = _InferenceView(model, single_input=len(specs) == 1)
    with torch.no_grad():
        output_count = len(view(*samples))
    output_names = [f"output_{index}" for index in range(output_count)]
    batch_axis = {0: "batch"}
    with warnings.catch_warnings():
        _silence_exporter_chatter()
        torch.onnx.export(
            view, samples, str(filepath), dynamo=False, input_names=input_names,
            output_names=output_names, opset_version=opset_version,
            dynamic_axes={name: batch_axis for name in input_names + output_names})
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}'.")


class _InferenceView(torch.nn.Module):
    """The model as torch's exporter wants it: tensors in, a flat tuple of tensors out."""

    def __init__(self, model, single_input):
        super().__init__()
        self.model = model
        self.single_input = single_input

    def forward(self, *inputs):
        outputs = self.model(inputs[0] if self.single_input else list(inputs), training=False)
        return tuple(tree.flatten(outputs))


def _input_specs(model, input_signature):
    """A flat list of objects with `.shape` (batch dimension first) and `.dtype`."""
    if input_signature is not None:
        return tree.flatten(input_signature)
    if getattr(model, "inputs", None):
        return list(model.inputs)
    shapes = model._build_shapes  # a subclassed model remembers the batch it was built on
    if shapes is None:
        raise ValueError(f"Model '{model.name}' has no known input shape to export: call it "
                         f"on a batch of data first, or pass "
                         f"input_signature=[minilib.Input(shape=...)].")
    if all(size is None or isinstance(size, int) for size in shapes):
        shapes = [shapes]
    # Float inputs are assumed; integer inputs (token ids) need an input_signature.
    return [KerasTensor((None, *shape[1:])) for shape in shapes]


def _spec_name(spec, index):
    name = getattr(spec, "name", None)
    return name if isinstance(name, str) and name else f"input_{index}"


def _sample(spec):
    """Zeros of the spec's shape, with the batch size (and any unknown size) set to 2."""
    shape = [SAMPLE_BATCH_SIZE if size is None else int(size) for size in spec.shape]
    dtype = to_torch_dtype(str(spec.dtype).removeprefix("torch.") if spec.dtype else "float32")
    return torch.zeros(shape, dtype=dtype, device=config.device())


def _silence_exporter_chatter():
    """Hide torch's warnings that do not apply to minilib models (call inside catch_warnings)."""
    # The TorchScript exporter still ships in torch 2.x, with deprecation notices
    # (one to the caller, others from inside the exporter).
    warnings.filterwarnings("ignore", message=".*legacy TorchScript-based ONNX export",
                            category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx\.")
    # While tracing, every size is a tensor, so minilib's shape checks (`if a % b:`)
    # warn about turning it into a bool; harmless. The warnings about turning a
    # size into an int or an array stay visible: they mean the size was frozen.
    warnings.filterwarnings("ignore", message="Converting a tensor to a Python boolean",
                            category=torch.jit.TracerWarning, module=r"minilib\.")
    # minilib's recurrent layers build their initial states from the batch size
    # at run time, which is what this warning asks for.
    warnings.filterwarnings("ignore", message="Exporting a model to ONNX with a batch_size "
                            "other than 1", category=UserWarning)
