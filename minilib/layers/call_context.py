"""Which mode a forward pass runs in, shared by every layer it reaches.

`model(x, training=True)` must reach the Dropout layer three levels down even
though nobody passes `training` by hand. The outermost layer call opens a
context holding `training`; nested calls that were not told otherwise read it.
"""

import threading

_state = threading.local()


def current():
    """The innermost open context, or None outside any layer call."""
    return getattr(_state, "context", None)


class CallContext:
    """Opened by the outermost layer call, closed when it returns."""

    def __init__(self, training):
        self.training = training

    def __enter__(self):
        _state.context = self
        return self

    def __exit__(self, *exc_info):
        _state.context = None
