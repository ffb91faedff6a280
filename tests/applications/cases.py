"""The application models both sides build: `(case id, function name, keyword arguments)`.

Shared by the minilib tests and `keras_side.py`, so that both libraries build exactly
the same models. Neither side's library is imported here.
"""

# The full models, as `keras.applications.X()` builds them (weights=None: nothing to download).
FULL_MODELS = [
    (name, name, {"weights": None})
    for name in ("VGG16", "VGG19", "ResNet50", "MobileNetV2", "Xception", "ResNet50V2",
                 "DenseNet121", "EfficientNetB0")
]

# Small headless models: cheap to build, for layer names, shapes and pooling.
SMALL_MODELS = [
    ("VGG16_pool_avg", "VGG16", {"weights": None, "include_top": False,
                                 "input_shape": (32, 32, 3), "pooling": "avg"}),
    ("VGG19_pool_max", "VGG19", {"weights": None, "include_top": False,
                                 "input_shape": (32, 32, 3), "pooling": "max"}),
    ("ResNet50_pool_none", "ResNet50", {"weights": None, "include_top": False,
                                        "input_shape": (32, 32, 3)}),
    ("ResNet50_pool_max", "ResNet50", {"weights": None, "include_top": False,
                                       "input_shape": (32, 48, 3), "pooling": "max"}),
    ("MobileNetV2_alpha_0.35", "MobileNetV2", {"weights": None, "include_top": False,
                                               "input_shape": (33, 33, 3), "alpha": 0.35,
                                               "pooling": "avg"}),
    ("MobileNetV2_alpha_1.4_top", "MobileNetV2", {"weights": None, "alpha": 1.4,
                                                  "input_shape": (32, 32, 3), "classes": 7}),
    ("Xception_pool_avg", "Xception", {"weights": None, "include_top": False,
                                       "input_shape": (71, 71, 3), "pooling": "avg"}),
    ("ResNet50V2_pool_max", "ResNet50V2", {"weights": None, "include_top": False,
                                           "input_shape": (32, 32, 3), "pooling": "max"}),
    ("DenseNet121_pool_avg", "DenseNet121", {"weights": None, "include_top": False,
                                             "input_shape": (32, 32, 3), "pooling": "avg"}),
    ("EfficientNetB0_pool_none", "EfficientNetB0", {"weights": None, "include_top": False,
                                                    "input_shape": (33, 35, 3)}),
    ("EfficientNetB0_top", "EfficientNetB0", {"weights": None, "input_shape": (32, 32, 3),
                                              "classes": 5, "classifier_activation": None}),
]

# Models whose "imagenet" weights the tests serve from 127.0.0.1: Keras writes a file in the
# legacy layout of Keras's published weights, under the published file name, then loads it
# with weights="imagenet" and predicts `IMAGES` (after its own `preprocess_input`).
LOADED_MODELS = [
    ("VGG16", "VGG16", "vgg16", {"include_top": False, "input_shape": (32, 32, 3)},
     "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("ResNet50", "ResNet50", "resnet50", {"include_top": False, "input_shape": (32, 32, 3),
                                          "pooling": "avg"},
     "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("MobileNetV2", "MobileNetV2", "mobilenet_v2", {"alpha": 0.35, "input_shape": (96, 96, 3)},
     "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96.h5"),
    ("Xception", "Xception", "xception", {"include_top": False, "input_shape": (71, 71, 3)},
     "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("ResNet50V2", "ResNet50V2", "resnet_v2", {"include_top": False,
                                               "input_shape": (32, 32, 3)},
     "resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("DenseNet121", "DenseNet121", "densenet", {"include_top": False,
                                                "input_shape": (32, 32, 3), "pooling": "max"},
     "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("EfficientNetB0", "EfficientNetB0", "efficientnet", {"include_top": False,
                                                          "input_shape": (32, 32, 3)},
     "efficientnetb0_notop.h5"),
]

PREPROCESSING_MODULES = ["imagenet_utils", "vgg16", "vgg19", "resnet50", "mobilenet_v2",
                         "xception", "resnet_v2", "densenet", "efficientnet"]


def images(height, width, count=2):
    """`count` reproducible RGB images with pixel values in [0, 255], as float32."""
    import numpy as np

    generator = np.random.default_rng(height * 1000 + width)
    return generator.uniform(0, 255, size=(count, height, width, 3)).astype("float32")


def class_index():
    """A stand-in for Keras's `imagenet_class_index.json`: `{"0": ["n00000000", "class_0"]}`..."""
    return {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}


# Arguments that Keras refuses, with the exception it raises (checked on the Keras side too).
BAD_ARGUMENTS = [
    ("VGG16", {"weights": "imagenet", "input_shape": (64, 64, 3)}),            # include_top
    ("VGG16", {"weights": "imagenet", "classes": 10}),
    ("VGG16", {"weights": "no/such/file.h5"}),
    ("ResNet50", {"weights": None, "include_top": False, "input_shape": (16, 16, 3)}),
    ("ResNet50", {"weights": None, "include_top": False, "input_shape": (32, 32)}),
    ("Xception", {"weights": None, "include_top": False, "input_shape": (64, 64, 3)}),
    ("DenseNet121", {"weights": "imagenet", "include_top": False, "input_shape": (32, 32, 1)}),
    ("MobileNetV2", {"weights": "imagenet", "alpha": 0.6, "include_top": False}),
    ("MobileNetV2", {"weights": "imagenet", "alpha": 0.35, "input_shape": (96, 96, 3),
                     "classifier_activation": "relu"}),
    ("ResNet50V2", {"weights": None, "input_shape": (None, None, 3)}),
]


def describe(model):
    """What must agree between the libraries: names, shapes, layers and their weight counts."""
    return {
        "name": model.name,
        "input_shape": list(model.input.shape),
        "output_shape": list(model.output.shape),
        "layers": [[layer.name, type(layer).__name__, layer.count_params()]
                   for layer in model.layers],
        "trainable_weights": len(model.trainable_weights),
        "non_trainable_weights": len(model.non_trainable_weights),
    }
