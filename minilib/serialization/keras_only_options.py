"""Options that real Keras writes into its files but minilib does not have.

Keras saves every constructor argument, including those of features minilib
leaves out: quantization, exponential moving averages of weights, ragged
tensors... A Dense layer saved by Keras carries `"quantization_config": None`,
which `minilib.layers.Dense` would reject as an unknown argument.

Such an option is harmless when it holds its *neutral* value, the one that
switches the feature off. So, before rebuilding anything from a Keras config,
the loader passes the whole config through `drop_keras_only_options`, which

- removes each Keras-only option that holds its neutral value, and
- raises an error, naming the object, the option and the file, for any other
  value: silently ignoring `use_ema=True` would give a different model.

The table lists options by minilib class; an entry also covers subclasses,
unless a class's own constructor takes that option (then it is left alone).
"""

import inspect

from minilib.serialization import builtin_objects

# Stands for "any value": options that only matter when another one (checked) is on.
ANY = object()

_LORA = {"lora_rank": None, "lora_alpha": ANY}  # low-rank fine-tuning of a layer's kernel

KERAS_ONLY_OPTIONS = {
    # layers
    "InputLayer": {"ragged": False},
    "Dense": {"quantization_config": None, **_LORA},
    "BaseConv": _LORA,
    "Embedding": _LORA,
    "BatchNormalization": {"renorm": False, "renorm_clipping": None, "renorm_momentum": ANY},
    "Resizing": {"pad_to_aspect_ratio": False, "antialias": False, "fill_mode": ANY,
                 "fill_value": ANY},
    # initializers
    "VarianceScaling": {"input_axes": None, "output_axes": None},  # which axes count as fans
    # optimizers
    "Optimizer": {"use_ema": False, "ema_momentum": ANY, "ema_overwrite_frequency": ANY,
                  "loss_scale_factor": None, "gradient_accumulation_steps": None},
}


def drop_keras_only_options(config, source):
    """A copy of `config` (a whole saved model, say) without neutral Keras-only options.

    `source` names the file in error messages.
    """
    if isinstance(config, list):
        return [drop_keras_only_options(item, source) for item in config]
    if not isinstance(config, dict):
        return config
    config = {key: drop_keras_only_options(value, source) for key, value in config.items()}
    inner = config.get("config")
    if "class_name" in config and isinstance(inner, dict):
        cls = builtin_objects.find_builtin_class(config.get("module"), config["class_name"])
        if cls is not None:
            config["config"] = _drop_options(cls, inner, source)
    return config


def _drop_options(cls, config, source):
    own_arguments = inspect.signature(cls.__init__).parameters
    options = {}
    for base in reversed(cls.__mro__):
        options.update(KERAS_ONLY_OPTIONS.get(base.__name__, {}))
    kept = {}
    for key, value in config.items():
        if key not in options or key in own_arguments:
            kept[key] = value
        elif options[key] is not ANY and value != options[key]:
            name = f" '{config['name']}'" if isinstance(config.get("name"), str) else ""
            raise ValueError(f"{source}: {cls.__name__}{name} uses the Keras option "
                             f"{key}={value!r}, which minilib does not support (only "
                             f"{key}={options[key]!r} is accepted).")
    return kept
