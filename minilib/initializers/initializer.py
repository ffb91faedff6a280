"""Initializer: the base class for objects that give a new weight its starting values."""


class Initializer:
    """Base class: `initializer(shape, dtype=None)` returns a tensor on `config.device()`.

    Layers call one for each new weight (`Dense(3, kernel_initializer=...)`), with the
    weight's shape. Write your own by subclassing `Initializer` and implementing
    `__call__`; if the constructor takes arguments, also return them from
    `get_config` so the initializer can be saved and rebuilt.

    Example, an initializer of your own:

    >>> class Halves(minilib.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return ops.full(shape, 0.5, dtype=dtype)
    >>> Halves()((2, 3))
    tensor([[0.5000, 0.5000, 0.5000],
            [0.5000, 0.5000, 0.5000]])
    >>> layer = minilib.layers.Dense(2, kernel_initializer=Halves())
    >>> layer(np.ones((1, 3)))                  # 3 inputs of 1, times 0.5 each
    tensor([[1.5000, 1.5000]], grad_fn=<AddmmBackward0>)
    """

    def __call__(self, shape, dtype=None):
        """Return a tensor of `shape`; `dtype` defaults to floatx."""
        raise NotImplementedError(f"{type(self).__name__} must implement __call__.")

    def get_config(self):
        """The constructor arguments, as a dict, so `from_config` can rebuild this object."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Build an initializer from the dict returned by `get_config`."""
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())
