"""Famous image models, ready to use, with Keras's names: `minilib.applications.VGG16()`.

Each function builds the architecture and, with `weights="imagenet"` (the default),
downloads the weights Keras publishes for it, trained on the 1.2 million photos of
ImageNet's 1000 classes. Use one to classify photos, or as a feature extractor for
your own task (transfer learning):

    base = minilib.applications.Xception(weights="imagenet", input_shape=(150, 150, 3),
                                         include_top=False)
    base.trainable = False
    inputs = minilib.Input(shape=(150, 150, 3))
    x = minilib.applications.xception.preprocess_input(inputs)
    x = minilib.layers.GlobalAveragePooling2D()(base(x, training=False))
    model = minilib.Model(inputs, minilib.layers.Dense(1)(x))

Each model expects its images prepared its own way: use the `preprocess_input` of
its module (`vgg16`, `resnet50`, `mobilenet_v2`, ...), and that module's
`decode_predictions` to read the 1000 class probabilities as labels.

| model          | module         | image size | weights |
|----------------|----------------|------------|---------|
| VGG16, VGG19   | vgg16, vgg19   | 224        | 138M, 144M |
| ResNet50 (101, 152)        | resnet50, resnet | 224 | 25.6M |
| ResNet50V2 (101V2, 152V2)  | resnet_v2      | 224 | 25.6M |
| MobileNetV2    | mobilenet_v2   | 224 (96-224) | 3.5M |
| Xception       | xception       | 299        | 22.9M |
| DenseNet121 (169, 201)     | densenet       | 224 | 8.1M |
| EfficientNetB0 (to B7)     | efficientnet   | 224 (to 600) | 5.3M |
"""

from minilib.applications import (
    densenet,
    efficientnet,
    imagenet_utils,
    mobilenet_v2,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from minilib.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from minilib.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from minilib.applications.mobilenet_v2 import MobileNetV2
from minilib.applications.resnet import ResNet50, ResNet101, ResNet152
from minilib.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from minilib.applications.vgg import VGG16, VGG19
from minilib.applications.xception import Xception

__all__ = [
    "DenseNet121", "DenseNet169", "DenseNet201", "EfficientNetB0", "EfficientNetB1",
    "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6",
    "EfficientNetB7", "MobileNetV2", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2",
    "ResNet101V2", "ResNet152V2", "VGG16", "VGG19", "Xception", "densenet", "efficientnet",
    "imagenet_utils", "mobilenet_v2", "resnet", "resnet50", "resnet_v2", "vgg16", "vgg19",
    "xception",
]
