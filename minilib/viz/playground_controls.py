"""The Playground's controls: buttons, sliders and menus that change it while you watch.

Each control calls the Playground's own methods (`step`, `reset`, `set`), so
clicking does exactly what the same call in a cell would do. This needs
ipywidgets, so it runs only in a notebook that displays the Playground.
"""

from minilib.viz.playground_data import DATASETS, FEATURES
from minilib.viz.playground_settings import (
    ACTIVATIONS,
    LEARNING_RATES,
    REGULARIZATION_RATES,
    REGULARIZERS,
)


def playground_controls(playground):
    """The rows of ipywidgets above the figure; each control changes `playground` at once.

    "play" is a browser-side timer: each of its ticks calls `playground._tick()`.
    """
    import ipywidgets as w

    play = w.Play(interval=300, max=10**9, description="play")
    play.observe(lambda _: playground._tick(), names="value")
    step = w.Button(description="step", tooltip="train for one tick")
    step.on_click(lambda _: playground.step(playground.epochs_per_tick))
    reset = w.Button(description="reset", tooltip="a new, untrained model")
    reset.on_click(lambda _: playground.reset())
    per_tick = w.IntSlider(value=playground.epochs_per_tick, min=1, max=20,
                           description="epochs/tick")
    per_tick.observe(lambda c: setattr(playground, "epochs_per_tick", c["new"]), names="value")

    def setting(name, control):
        control.observe(lambda change: playground.set(**{name: change["new"]}), names="value")
        return control

    features = []
    for name in FEATURES:
        toggle = w.ToggleButton(value=name in playground.features, description=name,
                                layout=w.Layout(width="70px"))
        toggle.observe(lambda _: _set_features(playground, features), names="value")
        features.append(toggle)
    layers = w.IntSlider(value=len(playground.hidden_layers), min=0, max=6,
                         description="hidden layers")
    units = w.IntSlider(value=max(playground.hidden_layers, default=4), min=1, max=8,
                        description="units each")
    for slider in (layers, units):
        slider.observe(lambda _: playground.set(hidden_layers=[units.value] * layers.value),
                       names="value")
    return [
        w.HBox([play, step, reset, per_tick]),
        w.HBox([setting("dataset", w.Dropdown(
                    options=DATASETS, value=playground.dataset, description="data")),
                setting("activation", w.Dropdown(options=ACTIVATIONS, value=playground.activation,
                                                 description="activation"))]),
        w.HBox([setting("learning_rate", w.Dropdown(
                    options=sorted({*LEARNING_RATES, playground.learning_rate}),
                    value=playground.learning_rate, description="learning rate")),
                setting("regularization", w.Dropdown(
                    options=REGULARIZERS, value=playground.regularization,
                    description="regularizer")),
                setting("regularization_rate", w.Dropdown(
                    options=sorted({*REGULARIZATION_RATES, playground.regularization_rate}),
                    value=playground.regularization_rate, description="rate"))]),
        w.HBox([w.Label("features"), *features]),
        w.HBox([layers, units]),
    ]


def _set_features(playground, toggles):
    """Use the features whose toggle is on; switching off the last one is ignored."""
    chosen = [toggle.description for toggle in toggles if toggle.value]
    if chosen:
        playground.set(features=chosen)
