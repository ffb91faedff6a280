"""Initializer: the base class for objects that give a new weight its starting values.

An initializer is called with a shape (and optionally a dtype) and returns a tensor::

    >>> from minilib import initializers
    >>> initializers.Ones()((2, 3)).shape
    torch.Size([2, 3])

Write your own by subclassing `Initializer` and implementing `__call__`; if the
constructor takes arguments, also return them from `get_config` so the
initializer can be saved and rebuilt.
"""


class Initializer:
    """Base class: `initializer(shape, dtype=None)` returns a tensor on `config.device()`."""

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
