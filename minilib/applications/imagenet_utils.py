"""What every ImageNet model shares: preparing images, naming predictions, checking
arguments and fetching the pretrained weights.

The models were trained on photos prepared in one of three ways (`mode`), and expect
new images prepared the same way. For an RGB batch `x` with values in [0, 255]:

    caffe:  flip RGB to BGR, then subtract the ImageNet mean of each channel
            (103.939, 116.779, 123.68)                         VGG, ResNet50
    tf:     x / 127.5 - 1, values in [-1, 1]                   MobileNetV2, Xception, ResNetV2
    torch:  (x / 255 - mean) / std, per channel, with the ImageNet mean
            (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225)  DenseNet

    >>> x = np.full((1, 2, 2, 3), 255.0)
    >>> minilib.applications.imagenet_utils.preprocess_input(x, mode="tf")[0, 0, 0]
    array([1., 1., 1.])

`decode_predictions` turns the 1000 class probabilities into readable labels, using
the class list that Keras publishes. Downloads go to Keras's own cache,
`~/.keras/models` (or `$KERAS_HOME/models`), so files Keras fetched are reused.
"""

import json
import os
import warnings
from functools import partial

import numpy as np
import torch

from minilib import activations
from minilib.graph.keras_tensor import KerasTensor
from minilib.layers import GlobalAveragePooling2D, GlobalMaxPooling2D, Input, Lambda
from minilib.utils.file_utils import get_file, keras_home

CLASS_INDEX_URL = ("https://storage.googleapis.com/download.tensorflow.org/data/"
                   "imagenet_class_index.json")
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_MEANS = {"caffe": (103.939, 116.779, 123.68), "torch": (0.485, 0.456, 0.406)}
_TORCH_STD = (0.229, 0.224, 0.225)


# The arguments every builder takes, as its docstring lists them.
ARGUMENTS_DOC = """
    Args:
        include_top: whether to include the classifier on top.
        weights: None (random initialization), "imagenet" (pre-trained on ImageNet)
            or the path to a weights file.
        input_tensor: a symbolic tensor to use as the model's image input.
        input_shape: `(rows, cols, 3)`, at least 32x32; only with include_top=False,
            since the ImageNet classifier needs the size it was trained at.
        pooling: without the top, None (return the last feature map), "avg" or "max"
            (pool it to one vector per image).
        classes: number of classes, only without "imagenet" weights.
        classifier_activation: the top layer's activation; None returns logits.
        name: the model's name.

    Returns:
        A functional `Model`.
"""


def size_example(function_name, features, weights, note):
    """The docstring example shared by the builders that need no example of their own.

    It builds `function_name`'s architecture as a feature extractor for 32x32 images and
    shows what it gives: `features` numbers per image, and `weights` weights without the
    classifier; `note` is the comment beside them. The docstring tests run each copy.
    """
    call = f">>> model = minilib.applications.{function_name}("
    return f"""
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor; `count_params()` tells its size without the classifier:

    {call}weights=None, include_top=False,
    ...{" " * (len(call) - 3)}input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape, model.count_params()   # {note}
    ((None, {features}), {weights})
    """


def preprocess_input(x, data_format=None, mode="caffe"):
    """Prepare a batch of RGB images (values in [0, 255]) for an ImageNet model.

    Args:
        x: a NumPy array or tensor of 3 (one image) or 4 dimensions; or a symbolic
            tensor, which gets a layer that does the work inside the model.
        data_format: `"channels_last"` (the default: channels are the last axis) or
            `"channels_first"`.
        mode: `"caffe"`, `"tf"` or `"torch"` (see the module docstring).

    Returns:
        A new float array (a tensor for a tensor); integer images become float32.
        Unlike Keras, the input array is never overwritten.
    """
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError(f"preprocess_input: mode must be 'caffe', 'tf' or 'torch', "
                         f"got mode={mode!r}.")
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f"preprocess_input: data_format must be 'channels_last' or "
                         f"'channels_first', got data_format={data_format!r}.")
    channels_first = data_format == "channels_first"
    if isinstance(x, KerasTensor):
        return Lambda(partial(_prepare, mode=mode, channels_first=channels_first))(x)
    if isinstance(x, torch.Tensor):
        return _prepare(x if x.is_floating_point() else x.float(), mode, channels_first)
    x = np.asarray(x)
    return _prepare(x if np.issubdtype(x.dtype, np.floating) else x.astype("float32"),
                    mode, channels_first)


def _prepare(x, mode, channels_first):
    if mode == "tf":
        return x / 127.5 - 1.0
    channel_axis = (0 if x.ndim == 3 else 1) if channels_first else x.ndim - 1
    shape = [1] * x.ndim
    shape[channel_axis] = 3

    def per_channel(values):  # broadcast against x, in x's dtype
        if isinstance(x, torch.Tensor):
            return torch.tensor(values, dtype=x.dtype, device=x.device).reshape(shape)
        return np.array(values, dtype=x.dtype).reshape(shape)

    if mode == "torch":
        return (x / 255.0 - per_channel(_MEANS["torch"])) / per_channel(_TORCH_STD)
    bgr = x.flip(channel_axis) if isinstance(x, torch.Tensor) else np.flip(x, channel_axis)
    return bgr - per_channel(_MEANS["caffe"])


def decode_predictions(preds, top=5):
    """The `top` most probable ImageNet classes of each prediction, most probable first.

    Args:
        preds: an array or tensor of shape `(samples, 1000)`, a model's output.
        top: how many classes to return per sample.

    Returns:
        One list per sample of `(class_id, class_name, score)` tuples, e.g.
        `[("n02123045", "tabby", 0.82), ("n02124075", "Egyptian_cat", 0.11), ...]`.
    """
    preds = preds.detach().cpu().numpy() if isinstance(preds, torch.Tensor) else np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(f"decode_predictions expects a batch of ImageNet predictions of shape "
                         f"(samples, 1000), got an array of shape {preds.shape}.")
    path = get_file("imagenet_class_index.json", CLASS_INDEX_URL, cache_dir=keras_home(),
                    cache_subdir="models", file_hash=CLASS_INDEX_HASH)
    with open(path) as file:
        class_index = json.load(file)
    results = []
    for pred in preds:
        best = np.argsort(pred)[::-1][:top]
        results.append([(*class_index[str(i)], pred[i]) for i in best])
    return results


def check_arguments(weights, include_top, classes):
    """Refuse `weights` that are neither None, "imagenet" nor a file, and a new number of
    classes on top of the ImageNet classifier."""
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(f"The `weights` argument should be None (random initialization), "
                         f"'imagenet' (pre-training on ImageNet) or the path to a weights "
                         f"file, got weights={weights!r} (no such file).")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(f"With weights='imagenet' and include_top=True the model predicts "
                         f"the 1000 ImageNet classes, so classes must be 1000, got "
                         f"classes={classes}. For your own classes use include_top=False "
                         f"and add a classifier.")


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights=None):
    """The input shape `(rows, cols, channels)` a model gets, after checking `input_shape`.

    Args:
        input_shape: the user's shape, or None for the default.
        default_size: the size the pretrained weights were trained at.
        min_size: the smallest rows/cols the architecture can shrink down.
        require_flatten: True when the classifier on top needs a fixed size.
        weights: the `weights` argument; "imagenet" needs 3 channels, and with a
            classifier on top, exactly the training size.
    """
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        if input_shape[-1] not in (1, 3):
            warnings.warn(f"This model usually expects 1 or 3 input channels, but "
                          f"input_shape={input_shape} has {input_shape[-1]}.", stacklevel=3)
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(f"With include_top=True and weights='imagenet', input_shape "
                             f"must be {default_shape}, got input_shape={input_shape}. "
                             f"For other sizes use include_top=False.")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(f"input_shape must be a tuple of three integers (rows, cols, "
                             f"channels), got input_shape={input_shape}.")
        if input_shape[-1] != 3 and weights == "imagenet":
            raise ValueError(f"The ImageNet weights need 3 input channels, got "
                             f"input_shape={input_shape}.")
        if any(size is not None and size < min_size for size in input_shape[:2]):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}, got "
                             f"input_shape={input_shape}.")
    else:
        input_shape = default_shape if require_flatten else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(f"With include_top=True the input size must be fixed, got "
                         f"input_shape={input_shape}.")
    return tuple(input_shape)


def image_input(input_tensor, input_shape):
    """`(image, model_inputs)`: the tensor the layers start from, and the model's inputs.

    `input_tensor` may be the output of layers you added before the model; the
    model then starts from the `Input` those layers start from.
    """
    if input_tensor is None:
        image = Input(shape=input_shape)
        return image, image
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(f"input_tensor must be a symbolic tensor (from minilib.Input or a "
                         f"layer called on one), got {type(input_tensor).__name__}.")
    sources = _source_inputs(input_tensor)
    return input_tensor, sources[0] if len(sources) == 1 else sources


def _source_inputs(tensor):
    node = tensor.node
    if node.is_input:
        return [tensor]
    found = []
    for parent in node.input_tensors:
        found += [t for t in _source_inputs(parent) if not any(t is seen for seen in found)]
    return found


def correct_pad(inputs, kernel_size):
    """The `ZeroPadding2D` padding that makes a strided 'valid' convolution of an even-sized
    input line up as TensorFlow's 'same' padding does (more zeros after than before)."""
    kernel_size = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    rows, cols = inputs.shape[1:3]
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Pretrained classifiers were trained with softmax: allow only softmax or None."""
    if weights is None:
        return
    if activations.get(classifier_activation) not in (activations.get("softmax"),
                                                      activations.get(None)):
        raise ValueError(f"With pretrained weights, classifier_activation must be None or "
                         f"'softmax', got classifier_activation={classifier_activation!r}.")


def global_pooling(x, pooling, named):
    """Pool the feature map to one vector (`pooling="avg"` or `"max"`), or leave it (None).

    Some models name these layers `avg_pool`/`max_pool`; others leave the default names.
    """
    if pooling == "avg":
        return GlobalAveragePooling2D(name="avg_pool" if named else None)(x)
    if pooling == "max":
        return GlobalMaxPooling2D(name="max_pool" if named else None)(x)
    return x


def load_weights(model, weights, file_name, url, file_hash=None):
    """Load `weights` into `model`: for "imagenet", Keras's published file `file_name`,
    downloaded from `url` once into `~/.keras/models`; otherwise the file at `weights`.

    Keras publishes these weights in the legacy (Keras 2) HDF5 layout, which
    `model.load_weights` reads by matching layers with weights by position.
    """
    if weights is None:
        return
    if weights == "imagenet":
        weights = get_file(file_name, url, cache_dir=keras_home(), cache_subdir="models",
                           file_hash=file_hash)
    model.load_weights(weights)
