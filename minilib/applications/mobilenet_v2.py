"""MobileNetV2 (Sandler et al., 2018): a small, fast network for phones."""

import warnings

from minilib.applications import imagenet_utils
from minilib.layers import (
    Add,
    BatchNormalization,
    Conv2D,
    Dense,
    DepthwiseConv2D,
    GlobalAveragePooling2D,
    ReLU,
    ZeroPadding2D,
)
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)
_SIZES = (96, 128, 160, 192, 224)
# (expansion, filters, stride) of the 17 inverted residual blocks.
_BLOCKS = [(1, 16, 1), (6, 24, 2), (6, 24, 1), (6, 32, 2), (6, 32, 1), (6, 32, 1),
           (6, 64, 2), (6, 64, 1), (6, 64, 1), (6, 64, 1), (6, 96, 1), (6, 96, 1), (6, 96, 1),
           (6, 160, 2), (6, 160, 1), (6, 160, 1), (6, 320, 1)]


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",
                input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", name=None):
    """MobileNetV2: 3.5M weights at alpha=1; 224x224 images by default.

    A small, fast network for phones (Sandler et al., 2018). Its inverted residual
    block widens the channels 6x with a 1x1 convolution, filters each channel on its
    own with a cheap 3x3 depthwise convolution, then narrows back with a linear 1x1
    projection; blocks that keep the shape add their input back:

        x -> expand (1x1), bn, relu6 -> depthwise 3x3, bn, relu6 -> project (1x1), bn -> + x

    `alpha` scales every layer's width (0.35 to 1.4): ImageNet weights exist for alpha in
    0.35, 0.5, 0.75, 1.0, 1.3, 1.4 and square inputs of 96, 128, 160, 192 or 224 pixels.
    Prepare images with `minilib.applications.mobilenet_v2.preprocess_input` (to [-1, 1]).

    Args:
        input_shape: `(rows, cols, 3)`, at least 32x32. With include_top and "imagenet"
            weights, a square 96, 128, 160, 192 or 224 (the sizes trained for).
        alpha: the width multiplier: below 1 makes every layer narrower, above 1 wider.
        include_top: whether to include the classifier on top.
        weights: None (random initialization), "imagenet" or the path to a weights file.
        input_tensor: a symbolic tensor to use as the model's image input.
        pooling: without the top, None (return the last feature map), "avg" or "max".
        classes: number of classes, only without "imagenet" weights.
        classifier_activation: the top layer's activation; None returns logits.
        name: the model's name; by default `mobilenetv2_{alpha}_{rows}`.

    Returns:
        A functional `Model`.

    Example, the architecture alone (`weights=None`: nothing to download), for 10 classes
    of small images:

    >>> model = minilib.applications.MobileNetV2(weights=None, input_shape=(32, 32, 3),
    ...                                          classes=10)
    >>> model.name, model.output_shape
    ('mobilenetv2_1.00_32', (None, 10))
    >>> images = minilib.applications.mobilenet_v2.preprocess_input(np.full((2, 32, 32, 3), 255.0))
    >>> float(images.max()), model(images).shape
    (1.0, torch.Size([2, 10]))
    """
    imagenet_utils.check_arguments(weights, include_top, classes)
    default_size = _default_size(input_shape, input_tensor)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size,
                                                    min_size=32, require_flatten=include_top,
                                                    weights=weights)
    rows, cols = input_shape[:2]
    if weights == "imagenet":
        if alpha not in _ALPHAS:
            raise ValueError(f"ImageNet weights for MobileNetV2 exist for alpha in {_ALPHAS}, "
                             f"got alpha={alpha}.")
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(f"input_shape={input_shape} is undefined, not square or not one of "
                          f"{_SIZES}: loading the weights trained on 224x224 images.",
                          stacklevel=2)
    x, inputs = imagenet_utils.image_input(input_tensor, input_shape)
    x = Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same",
               use_bias=False, name="Conv1")(x)
    x = _batch_norm("bn_Conv1")(x)
    x = ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (expansion, filters, stride) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _batch_norm("Conv_1_bn")(x)
    x = ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=False)
    model = Model(inputs, x, name=name or f"mobilenetv2_{alpha:0.2f}_{rows}")
    suffix = "" if include_top else "_no_top"
    file_name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}.h5"
    imagenet_utils.load_weights(model, weights, file_name, _WEIGHTS_URL + file_name)
    return model


def _default_size(input_shape, input_tensor):
    """The training size to check against: the given size when weights exist for it."""
    if input_shape is not None:
        rows, cols = input_shape[:2]
    elif input_tensor is not None and hasattr(input_tensor, "shape"):
        rows, cols = input_tensor.shape[1:3]
    else:
        return 224
    return rows if rows == cols and rows in _SIZES else 224


def _batch_norm(name):
    return BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False,
                   name=f"{prefix}expand")(x)
        x = _batch_norm(f"{prefix}expand_BN")(x)
        x = ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = DepthwiseConv2D(kernel_size=3, strides=stride, use_bias=False,
                        padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(x)
    x = _batch_norm(f"{prefix}depthwise_BN")(x)
    x = ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False,
               name=f"{prefix}project")(x)
    x = _batch_norm(f"{prefix}project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return Add(name=f"{prefix}add")([inputs, x])
    return x


def _make_divisible(value, divisor):
    """Round a layer width to a multiple of `divisor`, never more than 10% below `value`."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for MobileNetV2: scaled to [-1, 1] ("tf")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
