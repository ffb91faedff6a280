"""Global settings: the default device, the float dtype and the fuzz factor epsilon.

minilib puts every new variable and every batch of data on one *default device*.
It is CUDA when PyTorch sees a GPU, else the CPU::

    >>> import minilib
    >>> minilib.config.set_device("cpu")
    >>> minilib.config.device()
    device(type='cpu')
"""

import torch

_settings = {
    "device": torch.device("cuda" if torch.cuda.is_available() else "cpu"),
    "floatx": "float32",
    "epsilon": 1e-7,
}


def device():
    """The device where new variables and data batches go, as a `torch.device`.

    Example:

    >>> minilib.config.set_device("cpu")
    >>> minilib.config.device()
    device(type='cpu')
    >>> minilib.layers.Dense(2)(np.ones((1, 3))).device     # new weights and data go there
    device(type='cpu')
    """
    return _settings["device"]


def set_device(name):
    """Set the default device: `"cpu"`, `"cuda"` or `"cuda:1"`.

    Models built before the call stay where they are; move them with `model.to(device)`.

    Example:

    >>> minilib.config.set_device("cpu")
    >>> minilib.config.device()
    device(type='cpu')
    """
    new = torch.device(name)
    if new.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"set_device({name!r}): PyTorch sees no CUDA device on this machine.")
    if new.type == "cuda" and new.index is not None and new.index >= torch.cuda.device_count():
        raise ValueError(
            f"set_device({name!r}): this machine has {torch.cuda.device_count()} CUDA device(s)."
        )
    _settings["device"] = new


def floatx():
    """The default float dtype as a string, `"float32"` unless changed with `set_floatx`.

    Example:

    >>> minilib.config.floatx()
    'float32'
    >>> minilib.Variable([1.0, 2.0]).dtype
    torch.float32
    """
    return _settings["floatx"]


def set_floatx(dtype):
    """Set the default float dtype: `"float16"`, `"bfloat16"`, `"float32"` or `"float64"`.

    Example:

    >>> minilib.config.set_floatx("float64")
    >>> minilib.Variable([1.0, 2.0]).dtype
    torch.float64
    >>> minilib.config.set_floatx("float32")
    """
    allowed = ("float16", "bfloat16", "float32", "float64")
    if dtype not in allowed:
        raise ValueError(f"set_floatx: expected one of {allowed}, got {dtype!r}.")
    _settings["floatx"] = dtype


def epsilon():
    """The small constant added to denominators to avoid dividing by zero (1e-7).

    Example:

    >>> minilib.config.epsilon()
    1e-07
    """
    return _settings["epsilon"]


def set_epsilon(value):
    """Set the fuzz factor returned by `epsilon()`.

    Example:

    >>> minilib.config.set_epsilon(1e-5)
    >>> minilib.config.epsilon()
    1e-05
    >>> minilib.config.set_epsilon(1e-7)
    """
    _settings["epsilon"] = float(value)


def backend():
    """The name of the tensor library underneath: always `"torch"`.

    Example:

    >>> minilib.config.backend()
    'torch'
    """
    return "torch"
