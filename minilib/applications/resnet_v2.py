"""ResNetV2: ResNet with pre-activation blocks (He et al., 2016); see `resnet` for the blocks.

    model = minilib.applications.ResNet50V2(include_top=False, input_shape=(160, 160, 3))
    x = minilib.applications.resnet_v2.preprocess_input(images)   # to [-1, 1]
"""

from minilib.applications import imagenet_utils
from minilib.applications.resnet import resnet_function

ResNet50V2 = resnet_function("ResNet50V2", "resnet50v2", (3, 4, 6, 3), 2,
                             "ResNet50V2: 50 layers, 25.6M weights; 224x224 images.")
ResNet101V2 = resnet_function("ResNet101V2", "resnet101v2", (3, 4, 23, 3), 2,
                              "ResNet101V2: 101 layers, 44.7M weights; 224x224 images.")
ResNet152V2 = resnet_function("ResNet152V2", "resnet152v2", (3, 8, 36, 3), 2,
                              "ResNet152V2: 152 layers, 60.4M weights; 224x224 images.")


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for ResNetV2: scaled to [-1, 1] ("tf")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
