"""HostCopy: the optimizer's step count and learning rate as Python numbers.

`iterations` and `learning_rate` are Variables (so they can be saved, loaded and
assigned like in Keras), and on a GPU they live in GPU memory. Reading one back
into Python (`.item()`, `float(...)`) makes the CPU wait until the GPU has
finished all queued work; doing that every training step would stall training.
So the optimizer keeps a Python copy next to each and reads the Variable only
when someone else has written it.
"""


class HostCopy:
    """A Python number kept equal to a one-element Variable, read without a device sync.

    The optimizer changes the Variable and the number together. Anyone else who
    writes the Variable (`opt.iterations.assign(0)`, loading a checkpoint) goes
    through an in-place torch op, and torch counts those in `tensor._version`:
    a changed version tells us to read the Variable again, once.
    """

    def __init__(self, variable, value):
        self.variable = variable
        self._value = value
        self._seen_version = variable._version

    @property
    def value(self):
        if self.variable._version != self._seen_version:
            self._value = self.variable.item()
            self._seen_version = self.variable._version
        return self._value

    def set(self, value):
        self.variable.fill_(value)
        self._value = value
        self._seen_version = self.variable._version

    def add(self, amount):
        new_value = self.value + amount
        self.variable.add_(amount)
        self._value = new_value
        self._seen_version = self.variable._version
