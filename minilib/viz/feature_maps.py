"""FeatureMaps: what the layers of a convolutional network make of one image."""

import numpy as np
import torch

from minilib.layers.convolutional.base_conv import BaseConv
from minilib.layers.pooling.base_pooling import BasePooling
from minilib.viz.display import Widget, new_figure


def spatial_layers(model):
    """The 2-D convolution and pooling layers inside `model` (at any depth), in order."""
    return [module for module in model.modules()
            if isinstance(module, BaseConv | BasePooling) and module.rank == 2]


class FeatureMaps(Widget):
    """An input image and the feature maps that a chosen layer computes from it.

    A 2-D convolution layer turns an image into a stack of *feature maps*, one per
    filter: a map is bright where its filter's pattern (an edge, the end of a
    stroke, a curve) appears in the image. A pooling layer shrinks every map,
    keeping the strongest (max) or average response of each window. Looking at the
    maps of one image, layer after layer, shows the network going from pixels to
    parts: the first maps still look like the image, deeper ones are smaller and
    more abstract. In a notebook, `maps.show()` draws them with a choice of layer
    and image; `maps.select(layer=..., image=...)` does the same from code.

    How the maps are caught: every minilib layer is a `torch.nn.Module`, so a
    *forward hook* on the chosen layer receives its output while the whole model
    runs on the image, in inference mode (dropout and augmentation layers off).
    This works for Sequential, functional and subclassed models alike, and gives
    the same numbers as the functional sub-model of lesson 05,
    `minilib.Model(model.inputs, layer.output)`. A shared layer shows its first call.

    Args:
        model: a minilib model with 2-D convolution or pooling layers.
        images: a batch the model accepts, e.g. `(n, height, width, channels)`.
        labels: optional, one per image, shown in the image's title.
        layer: the layer (or its name) to show first; default the first spatial layer.
        image: the index of the image to show first.
        max_maps: draw at most this many maps (the first ones).

    Attributes:
        maps: the numbers drawn, `(height, width, channels)`.

    Example:

    >>> cnn = minilib.Sequential([minilib.Input(shape=(8, 8, 1)),
    ...                           minilib.layers.Conv2D(4, 3, name="conv"),
    ...                           minilib.layers.MaxPooling2D(2, name="pool")])
    >>> images = np.random.default_rng(0).random((5, 8, 8, 1))
    >>> maps = minilib.viz.FeatureMaps(cnn, images, labels=[0, 1, 2, 3, 4])
    >>> [layer.name for layer in maps.layers], maps.maps.shape   # 4 maps of 6x6
    (['conv', 'pool'], (6, 6, 4))
    >>> maps.select(layer="pool", image=2)                         # pooling halves them
    >>> maps.maps.shape
    (3, 3, 4)
    """

    def __init__(self, model, images, labels=None, layer=None, image=0, max_maps=32):
        self.model = model
        self.layers = spatial_layers(model)
        if not self.layers:
            found = ", ".join(f"{layer.name} ({type(layer).__name__})" for layer in model.layers)
            raise ValueError(f"FeatureMaps: model '{model.name}' has no 2-D convolution or "
                             f"pooling layer (Conv2D, MaxPooling2D, ...), so there are no "
                             f"feature maps to show. Its layers: {found}.")
        self.images = np.asarray(images)
        self.labels = None if labels is None else np.asarray(labels)
        self.max_maps = max_maps
        self.layer, self.image = None, None
        self.select(layer=layer if layer is not None else self.layers[0], image=image)

    def select(self, layer=None, image=None):
        """Show `layer` (a layer or its name) and/or the image numbered `image`."""
        if isinstance(layer, str):
            named = [candidate for candidate in self.layers if candidate.name == layer]
            if not named:
                raise ValueError(f"FeatureMaps: no 2-D convolution or pooling layer named "
                                 f"'{layer}' in model '{self.model.name}'; choose one of "
                                 f"{[candidate.name for candidate in self.layers]}.")
            layer = named[0]
        if layer is not None:
            if not any(layer is candidate for candidate in self.layers):
                raise ValueError(f"FeatureMaps: layer '{layer.name}' is not a 2-D convolution "
                                 f"or pooling layer of model '{self.model.name}'.")
            self.layer = layer
        if image is not None:
            if not 0 <= image < len(self.images):
                raise ValueError(f"FeatureMaps: image {image} is out of range; there are "
                                 f"{len(self.images)} images.")
            self.image = image
        self.maps = self.feature_maps()
        self.refresh()

    def feature_maps(self):
        """The chosen layer's output for the chosen image: `(height, width, channels)`."""
        caught = []
        hook = self.layer.register_forward_hook(
            lambda module, inputs, output: caught.append(output))
        try:
            with torch.no_grad():
                self.model(self.images[self.image:self.image + 1], training=False)
        finally:
            hook.remove()
        maps = caught[0][0].detach().cpu().numpy()
        return np.moveaxis(maps, 0, -1) if self.layer.data_format == "channels_first" else maps

    def input_picture(self):
        """The chosen image as drawn: 2-D for one channel, else its first three channels."""
        picture = self.images[self.image].astype("float32")
        if picture.ndim == 3 and picture.shape[-1] == 1:
            return picture[..., 0]
        if picture.ndim == 3:
            picture = picture[..., :3]
            span = float(picture.max() - picture.min()) or 1.0
            return (picture - picture.min()) / span  # RGB needs values in [0, 1]
        return picture

    def figure(self):
        count = min(self.maps.shape[-1], self.max_maps)
        columns = int(np.ceil(np.sqrt(count)))
        rows = int(np.ceil(count / columns))
        figure = new_figure(3.2 + 1.3 * columns, max(3.2, 1.3 * rows))
        left, right = figure.subfigures(1, 2, width_ratios=[3.2, 1.3 * columns])
        image_axes = left.subplots()
        image_axes.imshow(self.input_picture(), cmap="gray")
        label = "" if self.labels is None else f", label {self.labels[self.image]}"
        image_axes.set_title(f"image {self.image}{label}", fontsize=9)
        image_axes.set_axis_off()
        height, width, channels = self.maps.shape
        shown = f"{count} of {channels} maps" if count < channels else f"{channels} maps"
        right.suptitle(f"{self.layer.name} ({type(self.layer).__name__}): {shown}, "
                       f"{height}x{width} each", fontsize=9)
        for index, axes in enumerate(right.subplots(rows, columns, squeeze=False).flat):
            axes.set_axis_off()
            if index < count:  # each map on its own colour scale: bright = strong response
                axes.imshow(self.maps[:, :, index], cmap="viridis")
                axes.set_title(str(index), fontsize=7)
        return figure

    def controls(self):
        import ipywidgets

        layer = ipywidgets.Dropdown(options=[(f"{c.name} ({type(c).__name__})", c.name)
                                             for c in self.layers],
                                    value=self.layer.name, description="layer")
        image = ipywidgets.IntSlider(value=self.image, min=0, max=len(self.images) - 1,
                                     description="image")
        layer.observe(lambda change: self.select(layer=change["new"]), names="value")
        image.observe(lambda change: self.select(image=change["new"]), names="value")
        return [ipywidgets.HBox([layer, image])]
