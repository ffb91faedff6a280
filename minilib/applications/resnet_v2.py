"""ResNetV2: ResNet with pre-activation blocks (He et al., 2016); see `resnet` for the blocks.

    model = minilib.applications.ResNet50V2(include_top=False, input_shape=(160, 160, 3))
    x = minilib.applications.resnet_v2.preprocess_input(images)   # to [-1, 1]
"""

from minilib.applications import imagenet_utils
from minilib.applications.imagenet_utils import size_example
from minilib.applications.resnet import resnet_function

ResNet50V2 = resnet_function("ResNet50V2", "resnet50v2", (3, 4, 6, 3), 2,
                             "ResNet50V2: 50 layers, 25.6M weights; 224x224 images.", """
    Example, the architecture alone (`weights=None`: nothing to download), as a
    feature extractor for small images prepared to [-1, 1]:

    >>> model = minilib.applications.ResNet50V2(weights=None, include_top=False,
    ...                                         input_shape=(32, 32, 3), pooling="avg")
    >>> images = minilib.applications.resnet_v2.preprocess_input(np.full((2, 32, 32, 3), 255.0))
    >>> float(images.max()), model(images).shape   # one 2048-vector per image
    (1.0, torch.Size([2, 2048]))
    """, module=__name__)
ResNet101V2 = resnet_function(
    "ResNet101V2", "resnet101v2", (3, 4, 23, 3), 2,
    "ResNet101V2: 101 layers, 44.7M weights; 224x224 images.",
    size_example("ResNet101V2", 2048, 42626560, "42.6M weights"),
    module=__name__)
ResNet152V2 = resnet_function(
    "ResNet152V2", "resnet152v2", (3, 8, 36, 3), 2,
    "ResNet152V2: 152 layers, 60.4M weights; 224x224 images.",
    size_example("ResNet152V2", 2048, 58331648, "58.3M weights"),
    module=__name__)


def preprocess_input(x, data_format=None):
    """Prepare RGB images in [0, 255] for ResNetV2: scaled to [-1, 1] ("tf")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
