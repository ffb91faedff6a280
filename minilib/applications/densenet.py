"""DenseNet (Huang et al., 2017): every layer sees the feature maps of all layers before it.

Inside a dense block, each layer computes 32 new channels (bn, relu, 1x1 conv,
bn, relu, 3x3 conv) and *concatenates* them to its input, so the width grows by
32 per layer and early features are reused instead of recomputed. Between
blocks, a transition halves the channels (1x1 conv) and the image (2x2 average
pooling). DenseNet121, 169 and 201 differ in the number of layers per block.

    model = minilib.applications.DenseNet121(include_top=False, pooling="avg")
    x = minilib.applications.densenet.preprocess_input(images)   # "torch" mode
"""

from minilib.applications import imagenet_utils
from minilib.applications.imagenet_utils import size_example
from minilib.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Concatenate,
    Conv2D,
    Dense,
    GlobalAveragePooling2D,
    MaxPooling2D,
    ZeroPadding2D,
)
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# The md5 hashes of Keras's published files: (with the classifier, without it).
_WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
_GROWTH_RATE = 32
_EPSILON = 1.001e-5



def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="densenet"):
    """A DenseNet with `blocks[i]` layers in its i-th dense block."""
    imagenet_utils.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    require_flatten=include_top, weights=weights)
    x, inputs = imagenet_utils.image_input(input_tensor, input_shape)
    x = ZeroPadding2D(padding=((3, 3), (3, 3)))(x)
    x = Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _batch_norm("conv1_bn")(x)
    x = Activation("relu", name="conv1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, layers in enumerate(blocks, start=2):
        x = dense_block(x, layers, name=f"conv{stage}")
        if stage < len(blocks) + 1:
            x = transition_block(x, 0.5, name=f"pool{stage}")
    x = _batch_norm("bn")(x)
    x = Activation("relu", name="relu")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=True)
    model = Model(inputs, x, name=name)
    depth = {(6, 12, 24, 16): "densenet121", (6, 12, 32, 32): "densenet169",
             (6, 12, 48, 32): "densenet201"}.get(tuple(blocks))
    if weights == "imagenet" and depth is None:
        raise ValueError(f"ImageNet weights exist only for DenseNet121, 169 and 201, not for "
                         f"blocks={blocks}.")
    suffix = "" if include_top else "_notop"
    file_name = f"{depth}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    file_hash = _WEIGHTS_HASHES.get(depth, (None, None))[0 if include_top else 1]
    imagenet_utils.load_weights(model, weights, file_name, _WEIGHTS_URL + file_name, file_hash)
    return model


def _batch_norm(name):
    return BatchNormalization(axis=3, epsilon=_EPSILON, name=name)


def dense_block(x, blocks, name):
    """`blocks` conv blocks, each adding 32 channels."""
    for i in range(blocks):
        x = conv_block(x, _GROWTH_RATE, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """Shrink the channels by `reduction` and halve the image."""
    x = _batch_norm(f"{name}_bn")(x)
    x = Activation("relu", name=f"{name}_relu")(x)
    x = Conv2D(int(x.shape[3] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x, growth_rate, name):
    """Compute `growth_rate` new channels and concatenate them to `x`."""
    new = _batch_norm(f"{name}_0_bn")(x)
    new = Activation("relu", name=f"{name}_0_relu")(new)
    new = Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(new)
    new = _batch_norm(f"{name}_1_bn")(new)
    new = Activation("relu", name=f"{name}_1_relu")(new)
    new = Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(new)
    return Concatenate(axis=3, name=f"{name}_concat")([x, new])


def _densenet_function(function_name, blocks, doc, example=""):
    model_name = function_name.lower()

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name=model_name):
        return DenseNet(blocks, include_top, weights, input_tensor, input_shape, pooling,
                        classes, classifier_activation, name=name)

    build.__name__ = build.__qualname__ = function_name
    build.__doc__ = doc + imagenet_utils.ARGUMENTS_DOC + example
    return build


DenseNet121 = _densenet_function("DenseNet121", (6, 12, 24, 16),
                                 "DenseNet121: 8.1M weights; 224x224 images.", """
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor for small images:

    >>> model = minilib.applications.DenseNet121(weights=None, include_top=False,
    ...                                          input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape                        # one 1024-vector per image
    (None, 1024)
    """)
DenseNet169 = _densenet_function(
    "DenseNet169", (6, 12, 32, 32),
    "DenseNet169: 14.3M weights; 224x224 images.",
    size_example("DenseNet169", 1664, 12642880, "32 more channels per layer: 1664 in all"))
DenseNet201 = _densenet_function(
    "DenseNet201", (6, 12, 48, 32),
    "DenseNet201: 20.2M weights; 224x224 images.",
    size_example("DenseNet201", 1920, 18321984, "32 more channels per layer: 1920 in all"))


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for DenseNet: to [0, 1], then standardized per
    channel with ImageNet's mean and std ("torch")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
