"""The Playground's settings: the values each one may take, and the check that enforces them.

The menus of the controls offer these values; `Playground.set` accepts other
learning rates and regularization rates too, but checks every setting first and
names the first one that is not allowed.

    >>> check_settings({"dataset": "spirals", "features": ["x1", "x2"], "hidden_layers": [4],
    ...                 "activation": "softmax", "regularization": None,
    ...                 "learning_rate": 0.1, "regularization_rate": 0.0})
    Traceback (most recent call last):
    ...
    ValueError: Playground: activation must be one of (...), got 'softmax'.
"""

from minilib.viz.playground_data import DATASETS, FEATURES

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
REGULARIZERS = (None, "L1", "L2")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


def check_settings(settings):
    """Raise a ValueError naming the first setting that is not allowed."""
    if settings["dataset"] not in DATASETS:
        raise ValueError(f"Playground: unknown dataset {settings['dataset']!r}; choose one of "
                         f"{list(DATASETS)}.")
    unknown = [name for name in settings["features"] if name not in FEATURES]
    if unknown or not settings["features"]:
        raise ValueError(f"Playground: features must be a non-empty list of {list(FEATURES)}, "
                         f"got {settings['features']}.")
    if any(units < 1 for units in settings["hidden_layers"]):
        raise ValueError(f"Playground: every hidden layer needs at least one unit, got "
                         f"hidden_layers={settings['hidden_layers']}.")
    if settings["activation"] not in ACTIVATIONS:
        raise ValueError(f"Playground: activation must be one of {ACTIVATIONS}, got "
                         f"{settings['activation']!r}.")
    if settings["regularization"] not in REGULARIZERS:
        raise ValueError(f"Playground: regularization must be one of {REGULARIZERS}, got "
                         f"{settings['regularization']!r}.")
    if not settings["learning_rate"] > 0 or settings["regularization_rate"] < 0:
        raise ValueError(f"Playground: the learning rate must be > 0 and the regularization "
                         f"rate >= 0, got {settings['learning_rate']} and "
                         f"{settings['regularization_rate']}.")
