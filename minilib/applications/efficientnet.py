"""EfficientNet B0 to B7 (Tan and Le, 2019): one network scaled in width, depth and image size.

B0 is a MobileNetV2-like stack of inverted residual blocks ("MBConv") with two
additions: swish activations, and squeeze-and-excitation, where each block
averages every channel over the image, passes those averages through two small
1x1 convolutions and multiplies each channel by the resulting weight in (0, 1).
B1..B7 multiply the widths, the number of blocks and the image size together.

The preprocessing is inside the model (`Rescaling` and `Normalization` layers), so
EfficientNet takes RGB images in [0, 255] and `efficientnet.preprocess_input`
returns its input unchanged.

    model = minilib.applications.EfficientNetB0(include_top=False, pooling="avg")
"""

import math

from minilib.applications import imagenet_utils
from minilib.applications.imagenet_utils import size_example
from minilib.layers import (
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    DepthwiseConv2D,
    Dropout,
    GlobalAveragePooling2D,
    Normalization,
    Rescaling,
    Reshape,
    ZeroPadding2D,
    add,
    multiply,
)
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/keras-applications/"
# The md5 hashes of Keras's published files: (with the classifier, without it).
_WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
# B0's seven stages: (kernel size, repeats, filters in, filters out, expand ratio, stride).
_STAGES = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2),
           (3, 3, 40, 80, 6, 2), (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2),
           (3, 1, 192, 320, 6, 1)]
_SQUEEZE_RATIO = 0.25
_CONV_INITIALIZER = {"class_name": "VarianceScaling",
                     "config": {"scale": 2.0, "mode": "fan_out",
                                "distribution": "truncated_normal"}}
_DENSE_INITIALIZER = {"class_name": "VarianceScaling",
                      "config": {"scale": 1.0 / 3.0, "mode": "fan_out",
                                 "distribution": "uniform"}}
# Keras's published weights hold the ImageNet *standard deviations* as the Normalization
# layer's variance; with ImageNet weights, an extra Rescaling corrects for that.
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)



def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                 drop_connect_rate=0.2, depth_divisor=8, activation="swish",
                 name="efficientnet", include_top=True, weights="imagenet", input_tensor=None,
                 input_shape=None, pooling=None, classes=1000,
                 classifier_activation="softmax", weights_name=None):
    """B0's architecture with widths scaled by `width_coefficient` and repeats by
    `depth_coefficient`; `drop_connect_rate` drops whole residual branches in training,
    more often the deeper the block."""
    imagenet_utils.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size,
                                                    min_size=32, require_flatten=include_top,
                                                    weights=weights)
    image, inputs = imagenet_utils.image_input(input_tensor, input_shape)

    def round_filters(filters):
        return _round_to_multiple(filters * width_coefficient, depth_divisor)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = Rescaling(1.0 / 255.0)(image)
    x = Normalization(axis=3)(x)
    if weights == "imagenet":
        x = Rescaling([1.0 / math.sqrt(stddev) for stddev in _IMAGENET_STDDEV_RGB])(x)
    x = ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
               kernel_initializer=_CONV_INITIALIZER, name="stem_conv")(x)
    x = BatchNormalization(axis=3, name="stem_bn")(x)
    x = Activation(activation, name="stem_activation")(x)

    total_blocks = float(sum(round_repeats(stage[1]) for stage in _STAGES))
    block_index = 0
    for stage, (kernel_size, repeats, filters_in, filters_out, expand, stride) in enumerate(
            _STAGES, start=1):
        filters_in, filters_out = round_filters(filters_in), round_filters(filters_out)
        for repeat in range(round_repeats(repeats)):
            x = block(x, activation, drop_connect_rate * block_index / total_blocks,
                      name=f"block{stage}{chr(ord('a') + repeat)}_",
                      filters_in=filters_in if repeat == 0 else filters_out,
                      filters_out=filters_out, kernel_size=kernel_size,
                      strides=stride if repeat == 0 else 1, expand_ratio=expand,
                      se_ratio=_SQUEEZE_RATIO)
            block_index += 1

    x = Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
               kernel_initializer=_CONV_INITIALIZER, name="top_conv")(x)
    x = BatchNormalization(axis=3, name="top_bn")(x)
    x = Activation(activation, name="top_activation")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation,
                  kernel_initializer=_DENSE_INITIALIZER, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=True)
    model = Model(inputs, x, name=name)
    file_name = name + (".h5" if include_top else "_notop.h5")
    file_hash = _WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    imagenet_utils.load_weights(model, weights, file_name, _WEIGHTS_URL + file_name, file_hash)
    return model


def _round_to_multiple(value, divisor):
    """The multiple of `divisor` nearest to `value`, never more than 10% below it."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return int(rounded + divisor if rounded < 0.9 * value else rounded)


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16,
          kernel_size=3, strides=1, expand_ratio=1, se_ratio=0.0, id_skip=True):
    """One inverted residual block with squeeze-and-excitation (MBConv)."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = Conv2D(filters, 1, padding="same", use_bias=False,
                   kernel_initializer=_CONV_INITIALIZER, name=f"{name}expand_conv")(x)
        x = BatchNormalization(axis=3, name=f"{name}expand_bn")(x)
        x = Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                          name=f"{name}dwconv_pad")(x)
    x = DepthwiseConv2D(kernel_size, strides=strides,
                        padding="valid" if strides == 2 else "same", use_bias=False,
                        depthwise_initializer=_CONV_INITIALIZER, name=f"{name}dwconv")(x)
    x = BatchNormalization(axis=3, name=f"{name}bn")(x)
    x = Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        squeezed = max(1, int(filters_in * se_ratio))
        se = GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
        se = Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
        se = Conv2D(squeezed, 1, padding="same", activation=activation,
                    kernel_initializer=_CONV_INITIALIZER, name=f"{name}se_reduce")(se)
        se = Conv2D(filters, 1, padding="same", activation="sigmoid",
                    kernel_initializer=_CONV_INITIALIZER, name=f"{name}se_expand")(se)
        x = multiply([x, se], name=f"{name}se_excite")
    x = Conv2D(filters_out, 1, padding="same", use_bias=False,
               kernel_initializer=_CONV_INITIALIZER, name=f"{name}project_conv")(x)
    x = BatchNormalization(axis=3, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = add([x, inputs], name=f"{name}add")
    return x


def _efficientnet_function(variant, width, depth, size, dropout, example=""):
    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax",
              name=f"efficientnet{variant}"):
        return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top,
                            weights=weights, input_tensor=input_tensor,
                            input_shape=input_shape, pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation, weights_name=variant)

    build.__name__ = build.__qualname__ = f"EfficientNet{variant.upper()}"
    build.__doc__ = (f"EfficientNet{variant.upper()}: {size}x{size} images by default."
                     f"\n{imagenet_utils.ARGUMENTS_DOC}{example}")
    return build


EfficientNetB0 = _efficientnet_function("b0", 1.0, 1.0, 224, 0.2, example="""
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor for small images:

    >>> model = minilib.applications.EfficientNetB0(weights=None, include_top=False,
    ...                                             input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape                        # one 1280-vector per image
    (None, 1280)
    """)
EfficientNetB1 = _efficientnet_function("b1", 1.0, 1.1, 240, 0.2, example=size_example(
    "EfficientNetB1", 1280, 6575239, "B0's widths, 1.1x its blocks"))
EfficientNetB2 = _efficientnet_function("b2", 1.1, 1.2, 260, 0.3, example=size_example(
    "EfficientNetB2", 1408, 7768569, "B0's widths x1.1, its blocks x1.2"))
EfficientNetB3 = _efficientnet_function("b3", 1.2, 1.4, 300, 0.3, example=size_example(
    "EfficientNetB3", 1536, 10783535, "B0's widths x1.2, its blocks x1.4"))
EfficientNetB4 = _efficientnet_function("b4", 1.4, 1.8, 380, 0.4, example=size_example(
    "EfficientNetB4", 1792, 17673823, "B0's widths x1.4, its blocks x1.8"))
EfficientNetB5 = _efficientnet_function("b5", 1.6, 2.2, 456, 0.4, example=size_example(
    "EfficientNetB5", 2048, 28513527, "B0's widths x1.6, its blocks x2.2"))
EfficientNetB6 = _efficientnet_function("b6", 1.8, 2.6, 528, 0.5, example=size_example(
    "EfficientNetB6", 2304, 40960143, "B0's widths x1.8, its blocks x2.6"))
EfficientNetB7 = _efficientnet_function("b7", 2.0, 3.1, 600, 0.5, example=size_example(
    "EfficientNetB7", 2560, 64097687, "B0's widths x2, its blocks x3.1"))


def preprocess_input(x, data_format=None):
    """EfficientNet prepares its input itself: `x` is returned unchanged."""
    return x


decode_predictions = imagenet_utils.decode_predictions
