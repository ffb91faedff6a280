"""Xception (Chollet, 2017): Inception's idea taken to the extreme, with separable convolutions."""

from minilib.applications import imagenet_utils
from minilib.layers import (
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    GlobalAveragePooling2D,
    MaxPooling2D,
    SeparableConv2D,
    add,
)
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
_WEIGHTS_FILES = {True: ("xception_weights_tf_dim_ordering_tf_kernels.h5",
                         "0a58e3b7378bc2990ea3b43d5981f1f6"),
                  False: ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
                          "b0042744bf5b25fce3cb969f33bebb97")}


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """Xception: 22.9M weights; 299x299 images by default.

    Inception's idea taken to the extreme (Chollet, 2017). A `SeparableConv2D` filters
    each channel on its own (depthwise, 3x3) and then mixes the channels (pointwise,
    1x1): nearly the power of a full convolution for a fraction of the weights.
    Xception is 36 of them in residual blocks:

        entry flow:   2 plain convolutions, 3 blocks that halve the image (strided 1x1 shortcut)
        middle flow:  8 blocks of 3 separable convolutions at 728 channels, 19x19
        exit flow:    1 halving block, 2 separable convolutions up to 2048 channels

    Prepare images with `minilib.applications.xception.preprocess_input` (to [-1, 1]).

    Args:
        include_top: whether to include the classifier on top.
        weights: None (random initialization), "imagenet" or the path to a weights file.
        input_tensor: a symbolic tensor to use as the model's image input.
        input_shape: `(rows, cols, 3)`, at least 71x71; only with include_top=False,
            since the ImageNet classifier needs (299, 299, 3).
        pooling: without the top, None (return the last feature map), "avg" or "max".
        classes: number of classes, only without "imagenet" weights.
        classifier_activation: the top layer's activation; None returns logits.
        name: the model's name.

    Returns:
        A functional `Model`.

    Example, as a feature extractor for the smallest images it accepts (`weights=None`
    here, so nothing is downloaded; `weights="imagenet"` gives the trained features):

    >>> base = minilib.applications.Xception(weights=None, input_shape=(71, 71, 3),
    ...                                      include_top=False, pooling="avg")
    >>> base.output_shape                          # one 2048-vector per image
    (None, 2048)
    """
    imagenet_utils.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=71,
                                                    require_flatten=include_top, weights=weights)
    x, inputs = imagenet_utils.image_input(input_tensor, input_shape)
    x = Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(x)
    x = BatchNormalization(name="block1_conv1_bn")(x)
    x = Activation("relu", name="block1_conv1_act")(x)
    x = Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = BatchNormalization(name="block1_conv2_bn")(x)
    x = Activation("relu", name="block1_conv2_act")(x)

    # Entry flow: the first block starts right after a ReLU, so it skips its own.
    for block, filters in ((2, 128), (3, 256), (4, 728)):
        x = _downsampling_block(x, block, (filters, filters), first_relu=block != 2)
    for block in range(5, 13):  # middle flow
        residual = x
        for conv in (1, 2, 3):
            x = _relu_separable_bn(x, 728, f"block{block}_sepconv{conv}")
        x = add([x, residual])
    x = _downsampling_block(x, 13, (728, 1024), first_relu=True)  # exit flow
    for conv, filters in ((1, 1536), (2, 2048)):
        x = SeparableConv2D(filters, (3, 3), padding="same", use_bias=False,
                            name=f"block14_sepconv{conv}")(x)
        x = BatchNormalization(name=f"block14_sepconv{conv}_bn")(x)
        x = Activation("relu", name=f"block14_sepconv{conv}_act")(x)

    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=False)
    model = Model(inputs, x, name=name)
    file_name, file_hash = _WEIGHTS_FILES[bool(include_top)]
    imagenet_utils.load_weights(model, weights, file_name, _WEIGHTS_URL + file_name, file_hash)
    return model


def _relu_separable_bn(x, filters, name):
    x = Activation("relu", name=f"{name}_act")(x)
    x = SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return BatchNormalization(name=f"{name}_bn")(x)


def _downsampling_block(x, block, filters, first_relu):
    """Two separable convolutions and a strided max pooling, plus a strided 1x1 shortcut."""
    residual = Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = BatchNormalization()(residual)
    if first_relu:
        x = _relu_separable_bn(x, filters[0], f"block{block}_sepconv1")
    else:
        x = SeparableConv2D(filters[0], (3, 3), padding="same", use_bias=False,
                            name=f"block{block}_sepconv1")(x)
        x = BatchNormalization(name=f"block{block}_sepconv1_bn")(x)
    x = _relu_separable_bn(x, filters[1], f"block{block}_sepconv2")
    x = MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return add([x, residual])


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for Xception: scaled to [-1, 1] ("tf")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
