"""ResNet (He et al., 2015) and ResNetV2 (He et al., 2016): deep networks of residual blocks.

Each block adds its input back to what its convolutions compute (`x + f(x)`), so
a block only has to learn a correction and gradients reach the first layers of a
network 50 to 152 layers deep. A block squeezes the channels with a 1x1
convolution, works at that width with a 3x3 one, and widens back 4x with a 1x1:

    ResNet (v1):   x -> conv, bn, relu -> conv, bn, relu -> conv, bn -> + x -> relu
    ResNetV2:      x -> bn, relu -> conv -> bn, relu -> conv -> bn, relu -> conv -> + x

V2 normalizes *before* each convolution ("pre-activation"), which keeps the path
through the additions free of any nonlinearity. Four stages of blocks halve the
image and double the width. `keras.applications.resnet.preprocess_input` ("caffe")
goes with v1, `resnet_v2.preprocess_input` ("tf") with v2.

    model = minilib.applications.ResNet50(include_top=False, pooling="avg")
"""

from minilib.applications import imagenet_utils
from minilib.applications.imagenet_utils import size_example
from minilib.layers import (
    Activation,
    Add,
    BatchNormalization,
    Conv2D,
    Dense,
    GlobalAveragePooling2D,
    MaxPooling2D,
    ZeroPadding2D,
)
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/{file}"
# The md5 hashes of Keras's published files: (with the classifier, without it).
_WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5



def ResNet(stack_fn, preact, use_bias, include_top=True, weights="imagenet", input_tensor=None,
           input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
           name="resnet", weights_name=None):
    """Build a ResNet whose residual stages `stack_fn(x)` adds; `preact` makes it a V2."""
    imagenet_utils.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    require_flatten=include_top, weights=weights)
    image, inputs = imagenet_utils.image_input(input_tensor, input_shape)
    x = ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(image)
    x = Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _batch_norm("conv1_bn")(x)
        x = Activation("relu", name="conv1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _batch_norm("post_bn")(x)
        x = Activation("relu", name="post_relu")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=True)
    model = Model(inputs, x, name=name)
    suffix = "" if include_top else "_notop"
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    file_hash = _WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    imagenet_utils.load_weights(model, weights, file_name, _WEIGHTS_URL.format(file=file_name),
                                file_hash)
    return model


def _batch_norm(name):
    return BatchNormalization(axis=3, epsilon=_EPSILON, name=name)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A v1 bottleneck block; `conv_shortcut` projects the input when the shape changes."""
    if conv_shortcut:
        shortcut = Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _batch_norm(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _batch_norm(f"{name}_1_bn")(x)
    x = Activation("relu", name=f"{name}_1_relu")(x)
    x = Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = _batch_norm(f"{name}_2_bn")(x)
    x = Activation("relu", name=f"{name}_2_relu")(x)
    x = Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _batch_norm(f"{name}_3_bn")(x)
    x = Add(name=f"{name}_add")([shortcut, x])
    return Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` v1 blocks; the first one strides by `stride1` and projects the shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A pre-activation (v2) bottleneck block."""
    preact = _batch_norm(f"{name}_preact_bn")(x)
    preact = Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _batch_norm(f"{name}_1_bn")(x)
    x = Activation("relu", name=f"{name}_1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = _batch_norm(f"{name}_2_bn")(x)
    x = Activation("relu", name=f"{name}_2_relu")(x)
    x = Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` v2 blocks; V2 downsamples in the *last* block of a stage."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _stages_v1(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")
    return stack_fn


def _stages_v2(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")
    return stack_fn


def resnet_function(function_name, weights_name, blocks, version, doc, example="",
                    module=__name__):
    """A function like `ResNet50`, with Keras's signature, for one depth and version.

    Its docstring is `doc`, the arguments every builder takes, then `example`.
    `module` is the module that binds the function's name (`resnet_v2` for the V2s):
    `help()` and doctest look for the function there.
    """
    stages = _stages_v1 if version == 1 else _stages_v2

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name=weights_name):
        return ResNet(stages(blocks), preact=version == 2, use_bias=True,
                      include_top=include_top, weights=weights, input_tensor=input_tensor,
                      input_shape=input_shape, pooling=pooling, classes=classes,
                      classifier_activation=classifier_activation, name=name,
                      weights_name=weights_name)

    build.__name__ = build.__qualname__ = function_name
    build.__module__ = module
    build.__doc__ = doc + imagenet_utils.ARGUMENTS_DOC + example
    return build


ResNet50 = resnet_function("ResNet50", "resnet50", (3, 4, 6, 3), 1,
                           "ResNet50: 50 layers, 25.6M weights; 224x224 images.", """
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor for small images:

    >>> model = minilib.applications.ResNet50(weights=None, include_top=False,
    ...                                       input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape                        # one 2048-vector per image
    (None, 2048)
    """)
ResNet101 = resnet_function(
    "ResNet101", "resnet101", (3, 4, 23, 3), 1,
    "ResNet101: 101 layers, 44.7M weights; 224x224 images.",
    size_example("ResNet101", 2048, 42658176, "as wide as ResNet50, 19M more weights"))
ResNet152 = resnet_function(
    "ResNet152", "resnet152", (3, 8, 36, 3), 1,
    "ResNet152: 152 layers, 60.4M weights; 224x224 images.",
    size_example("ResNet152", 2048, 58370944, "58.4M weights, 2.0M fewer than with the top"))


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for ResNet: BGR order, ImageNet mean subtracted."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
