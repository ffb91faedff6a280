"""The optimizers the `*_overhead.py` benchmarks compare, set up alike on every side.

Each name maps to Keras's class and arguments; minilib and Keras take them as they
are, and `torch_optimizer` builds torch's counterpart with the same numbers
(torch's Adam defaults to epsilon 1e-8, Keras's to 1e-7).

Two PyTorch baselines use them:

- naive: torch's default implementation. On the CPU that is a Python loop over
  the parameters, one small operation at a time (torch picks `foreach` only for
  CUDA tensors).
- tuned: `foreach=True`, one call per operation for all parameters at once, as
  a user who tunes the loop asks for.
"""

import torch

SETTINGS = {
    "adam": ("Adam", {"learning_rate": 1e-3}),
    "sgd": ("SGD", {"learning_rate": 0.01, "momentum": 0.9}),
    "adamw": ("AdamW", {"learning_rate": 1e-3, "weight_decay": 0.004}),
}
NAMES = tuple(SETTINGS)


def keras_style_optimizer(library, name):
    """The optimizer `name` from `library.optimizers` (minilib or keras) with the settings above."""
    class_name, arguments = SETTINGS[name]
    return getattr(library.optimizers, class_name)(**arguments)


def torch_optimizer(name, parameters, tuned):
    """torch's optimizer `name` with the settings above; `tuned` asks for `foreach=True`."""
    class_name, arguments = SETTINGS[name]
    options = {"lr": arguments["learning_rate"], **({"foreach": True} if tuned else {})}
    if class_name == "SGD":
        return torch.optim.SGD(parameters, momentum=arguments["momentum"], **options)
    if class_name == "AdamW":
        return torch.optim.AdamW(parameters, eps=1e-7, weight_decay=arguments["weight_decay"],
                                 **options)
    return torch.optim.Adam(parameters, eps=1e-7, **options)
