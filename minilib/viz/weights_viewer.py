"""WeightsViewer: look inside a layer, at its weights and at the gradient of the last step."""

import numpy as np

from minilib.callbacks.callback import Callback
from minilib.viz.display import Widget, new_figure


class WeightsViewer(Callback, Widget):
    """A dropdown of the model's layers and, for the chosen one, its weights and gradient.

    Training changes numbers you normally never see. Looking at them answers
    questions a loss curve cannot: are the weights still near their random start?
    Did some units die (a column of zeros)? Are the gradients tiny (vanishing) or
    huge (exploding)? For a convolution, did the filters learn edges and blobs?

    For the chosen layer the figure shows, left to right: its kernel as a heatmap
    (red positive, blue negative; a convolution's kernel `(kh, kw, in, out)` as a
    grid of `out` small filters for one input channel), the gradient of the loss
    with respect to the kernel after the latest training step, a histogram of the
    kernel's values, and the bias, one bar per unit.

    It is also a callback: pass it to `fit` to redraw it after every epoch. In a
    notebook, `viewer.show()` displays it, with a dropdown to pick the layer.

    Args:
        model: any built minilib model.
        layer: the layer (or its name) to show first; default the first with weights.
        channel: for convolution kernels, the input channel whose filters are drawn.

    Example (`viewer.show()` would display it; `figure()` is the picture it shows):

    >>> model = minilib.Sequential([minilib.Input(shape=(4,)),
    ...                             minilib.layers.Dense(3, activation="relu"),
    ...                             minilib.layers.Dense(1)])
    >>> viewer = minilib.viz.WeightsViewer(model)
    >>> viewer.layer.name, viewer.kernel_image().shape, viewer.gradient_image()
    ('dense', (4, 3), None)
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((8, 4)), np.zeros((8, 1)), epochs=2, verbose=0,
    ...                     callbacks=[viewer])           # redrawn after every epoch
    >>> viewer.gradient_image().shape                     # the last step's gradient
    (4, 3)
    >>> viewer.select("dense_1")
    >>> [axes.get_title() for axes in viewer.figure().axes][:2]
    ['kernel (3, 1)', 'gradient after the last step']
    """

    def __init__(self, model, layer=None, channel=0):
        Callback.__init__(self)
        self.set_model(model)
        if not self.layers:
            raise ValueError(f"Model '{model.name}' has no layers with weights to show; "
                             f"build it first (call it on data or give it an Input).")
        self.channel = channel
        self.layer = None
        self.select(layer if layer is not None else self.layers[0])
        self.epochs_seen = 0

    @property
    def layers(self):
        """The model's layers that have weights: the dropdown's choices."""
        return [layer for layer in self.model.layers if layer.built and layer.weights]

    def select(self, layer):
        """Show `layer` (a layer of the model, or its name)."""
        if isinstance(layer, str):
            layer = self.model.get_layer(layer)
        if layer not in self.layers:
            raise ValueError(f"Layer '{layer.name}' has no weights in model '{self.model.name}'.")
        self.layer = layer
        self.channel = min(self.channel, self._input_channels() - 1)
        self.refresh()

    @property
    def kernel(self):
        """The layer's main weight: the one named "kernel", else its first weight."""
        weights = self.layer.weights
        return next((w for w in weights if w.name == "kernel"), weights[0])

    @property
    def bias(self):
        """The layer's bias, or None."""
        return next((w for w in self.layer.weights if w.name == "bias"), None)

    def kernel_image(self):
        """The kernel as the 2-D array drawn in the heatmap."""
        return self._as_image(self.kernel.detach().cpu().numpy())

    def gradient_image(self):
        """The kernel's gradient from the latest training step, drawn like the kernel, or None."""
        gradient = self.kernel.grad
        return None if gradient is None else self._as_image(gradient.detach().cpu().numpy())

    def _as_image(self, array):
        if array.ndim == 4:  # a 2-D convolution: (kh, kw, in, out)
            return tile_filters(array[:, :, self.channel, :])
        if array.ndim <= 1:
            return array.reshape(1, -1)
        return array.reshape(-1, array.shape[-1])  # e.g. Conv1D (k, in, out) -> (k*in, out)

    def _input_channels(self):
        return self.kernel.shape[2] if self.kernel.ndim == 4 else 1

    def figure(self):
        figure = new_figure(14, 3.4)
        kernel_axes, gradient_axes, histogram_axes, bias_axes = figure.subplots(1, 4)
        conv = self.kernel.ndim == 4
        title = f"{self.layer.name} ({type(self.layer).__name__})"
        if conv:
            title += f", input channel {self.channel}"
        figure.suptitle(title)
        _heatmap(figure, kernel_axes, self.kernel_image(),
                 f"{self.kernel.name} {tuple(self.kernel.shape)}", conv)
        gradient = self.gradient_image()
        if gradient is None:
            gradient_axes.set_axis_off()
            gradient_axes.text(0.5, 0.5, "no gradient yet:\ntrain for a step", ha="center",
                               va="center", transform=gradient_axes.transAxes)
        else:
            _heatmap(figure, gradient_axes, gradient, "gradient after the last step", conv)
        histogram_axes.hist(self.kernel.detach().cpu().numpy().ravel(), bins=30)
        histogram_axes.set_title(f"{self.kernel.name} values")
        if self.bias is None:
            bias_axes.set_axis_off()
            bias_axes.text(0.5, 0.5, "no bias", ha="center", va="center",
                           transform=bias_axes.transAxes)
        else:
            values = self.bias.detach().cpu().numpy()
            bias_axes.bar(np.arange(len(values)), values)
            bias_axes.set_title(f"bias {tuple(values.shape)}")
            bias_axes.set_xlabel("unit")
        return figure

    def controls(self):
        import ipywidgets

        layers = ipywidgets.Dropdown(options=[layer.name for layer in self.layers],
                                     value=self.layer.name, description="layer")
        channel = ipywidgets.IntSlider(value=self.channel, min=0,
                                       max=max(self._input_channels() - 1, 0),
                                       description="in channel")
        channel.layout.display = None if self.kernel.ndim == 4 else "none"

        def on_layer(change):
            self.select(change["new"])
            channel.max = max(self._input_channels() - 1, 0)
            channel.value = self.channel
            channel.layout.display = None if self.kernel.ndim == 4 else "none"

        def on_channel(change):
            self.channel = change["new"]
            self.refresh()

        layers.observe(on_layer, names="value")
        channel.observe(on_channel, names="value")
        return [ipywidgets.HBox([layers, channel])]

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_seen += 1
        self.refresh()

    def on_train_end(self, logs=None):
        self.update_display()  # so a saved notebook's picture shows the trained weights


def tile_filters(filters):
    """Lay `filters` of shape (kh, kw, n) out as one image: a grid of n tiles, NaN between.

    NaN pixels are drawn blank, so the tiles stay apart without changing the colour scale.
    """
    kh, kw, count = filters.shape
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    grid = np.full((rows * (kh + 1) - 1, columns * (kw + 1) - 1), np.nan, dtype="float32")
    for index in range(count):
        row, column = divmod(index, columns)
        grid[row * (kh + 1):row * (kh + 1) + kh,
             column * (kw + 1):column * (kw + 1) + kw] = filters[:, :, index]
    return grid


def _heatmap(figure, axes, image, title, conv):
    """A heatmap centred on zero: red positive, white zero, blue negative."""
    limit = float(np.nanmax(np.abs(image))) or 1.0
    shown = axes.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit,
                        aspect="equal" if conv else "auto",
                        interpolation="nearest")
    figure.colorbar(shown, ax=axes)
    axes.set_title(title)
    if conv:
        axes.set_axis_off()
    else:
        axes.set_xlabel("output unit")
        axes.set_ylabel("input")
