"""Building a layer: making its weights once the input shape is known, and remembering it.

`build(input_shape)` runs when the layer is first called (on real or symbolic
tensors), when code calls `layer.build(shape)` itself, or when a saved model is
loaded (`build_from_config`). Each way, the layer writes down the one record of
its build state, `_build_record`:

- `NOT_BUILT` until it is built;
- the input shape it was built for, which `get_build_config` saves so that a
  loaded layer can build the same weights before they are read;
- `None` once built for a shape nobody recorded (a layer whose `__init__` or
  `build` sets `self.built = True`, as Keras code does, without a call).

`layer.built`, Keras's public flag, is read from that record, and setting it
writes the record:

    >>> dense = minilib.layers.Dense(2)
    >>> dense.built, dense.get_build_config()
    (False, None)
    >>> dense.build((None, 3))                      # as the first call would
    >>> dense.built, dense.get_build_config()
    (True, {'input_shape': (None, 3)})
"""

import enum
import functools

from minilib.layers.nested_shapes import shapes_as_leaves


class _BuildMarker(enum.Enum):
    """A build record that no shape equals (an enum member stays itself when copied)."""

    NOT_BUILT = "not built"


NOT_BUILT = _BuildMarker.NOT_BUILT


def default_build(method):
    """Mark a `build` that needs no call: sublayers build themselves on first use."""
    method.is_default_build = True
    return method


def _marks_built(build):
    """Wrap a subclass's `build` so that calling it directly also marks the layer built."""

    @functools.wraps(build)
    def build_and_mark(self, *args, **kwargs):
        build(self, *args, **kwargs)
        if self._build_shapes is None and args:
            self._mark_built(args[0])
        else:  # keep the shape that an inner `super().build(shape)` recorded
            self.built = True

    return build_and_mark


class LayerBuilding:
    """The build part of `Layer`, which mixes it in: `built`, `build` and the build config."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "is_default_build", False):
            cls.build = _marks_built(build)  # `layer.build(shape)` leaves it built, as in Keras

    @property
    def built(self):
        """Whether the layer has made its weights. A custom `build` may set it, as in Keras."""
        return self._build_record is not NOT_BUILT

    @built.setter
    def built(self, value):
        if not value:
            self._build_record = NOT_BUILT
        elif self._build_record is NOT_BUILT:
            self._build_record = None  # built, for an input shape nobody recorded

    @property
    def _build_shapes(self):
        """The input shape(s) the layer was built for; None if not built or not known."""
        return None if self._build_record is NOT_BUILT else self._build_record

    def _mark_built(self, input_shape):
        """Record that the layer is built, for `input_shape` (None if not known)."""
        self._build_record = input_shape

    @default_build
    def build(self, input_shape):
        """Create the weights, now that the input shape is known. Override it."""
        self.built = True

    def _maybe_build(self, shapes):
        """Build for the input shapes of the first call (a default `build` is skipped)."""
        if not getattr(type(self).build, "is_default_build", False):
            self.build(shapes)
        self._mark_built(shapes)

    def get_build_config(self):
        """The input shape the layer was built with, so a loaded layer can rebuild."""
        shapes = self._build_shapes
        return {"input_shape": shapes} if shapes is not None else None

    def build_from_config(self, build_config):
        """Build from `get_build_config()`'s output (used when loading a saved model)."""
        if build_config and not self.built:
            shapes = shapes_as_leaves(build_config["input_shape"])
            self.build(shapes)
            self._mark_built(shapes)
