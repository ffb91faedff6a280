"""VGG16 and VGG19: plain stacks of 3x3 convolutions (Simonyan and Zisserman, 2014).

Five blocks of convolutions, each followed by a 2x2 max pooling that halves the
image; VGG16 has 2, 2, 3, 3, 3 convolutions per block, VGG19 2, 2, 4, 4, 4. On
top, two fully connected layers of 4096 units and the 1000-class classifier,
which alone hold most of the 138 million weights.

    model = minilib.applications.VGG16()              # downloads Keras's ImageNet weights
    x = minilib.applications.vgg16.preprocess_input(images)   # RGB in [0, 255]
    minilib.applications.vgg16.decode_predictions(model.predict(x), top=3)
"""

from minilib.applications import imagenet_utils
from minilib.layers import Conv2D, Dense, Flatten, MaxPooling2D
from minilib.models import Model

_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/{model}/{file}"
# The md5 hashes of Keras's published files: (with the classifier, without it).
_WEIGHTS_HASHES = {"vgg16": ("64373286793e3c8b2b4e3219cbf3544b",
                             "6d6bbae143d832006294945121d1f1fc"),
                   "vgg19": ("cbe5617147190e668d6c5d5026f83318",
                             "253f8cb515780f3b799900260a226db6")}
_BLOCK_FILTERS = (64, 128, 256, 512, 512)



def _vgg(model_key, convs_per_block, include_top, weights, input_tensor, input_shape, pooling,
         classes, classifier_activation, name):
    imagenet_utils.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    require_flatten=include_top, weights=weights)
    x, inputs = imagenet_utils.image_input(input_tensor, input_shape)
    for block, (filters, convs) in enumerate(zip(_BLOCK_FILTERS, convs_per_block,
                                                 strict=True), start=1):
        for conv in range(1, convs + 1):
            x = Conv2D(filters, (3, 3), activation="relu", padding="same",
                       name=f"block{block}_conv{conv}")(x)
        x = MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = Flatten(name="flatten")(x)
        x = Dense(4096, activation="relu", name="fc1")(x)
        x = Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.global_pooling(x, pooling, named=False)
    model = Model(inputs, x, name=name)
    suffix = "" if include_top else "_notop"
    file_name = f"{model_key}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    imagenet_utils.load_weights(model, weights, file_name,
                                _WEIGHTS_URL.format(model=model_key, file=file_name),
                                _WEIGHTS_HASHES[model_key][0 if include_top else 1])
    return model


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    return _vgg("vgg16", (2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    return _vgg("vgg19", (2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name)


VGG16.__doc__ = ("VGG16: 13 convolutions and 3 dense layers; 224x224 images.\n"
                 + imagenet_utils.ARGUMENTS_DOC + """
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor for small images:

    >>> model = minilib.applications.VGG16(weights=None, include_top=False,
    ...                                    input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape                        # one 512-vector per image
    (None, 512)
    """)
VGG19.__doc__ = ("VGG19: 16 convolutions and 3 dense layers; 224x224 images.\n"
                 + imagenet_utils.ARGUMENTS_DOC + """
    Example, the convolutions alone (`weights=None`: nothing to download), for small
    images; `count_params()` shows that the 3 dense layers held most of the 143.7M weights:

    >>> model = minilib.applications.VGG19(weights=None, include_top=False,
    ...                                    input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape, model.count_params()   # a 512-vector per image; 20.0M weights
    ((None, 512), 20024384)
    """)


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for VGG: BGR order, ImageNet mean subtracted ("caffe")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
