"""An optimizer's own variables: the step counter and the slot variables.

Besides the model's weights, an optimizer keeps state of its own, in Variables so
that it is saved with the model and restored from a checkpoint:

- `iterations`: how many updates were applied so far;
- `learning_rate`, when it is a number (see `learning_rate.py`);
- the *slot variables*: one per model variable and per kind of memory the rule
  needs, shaped like that variable. SGD with momentum keeps a velocity for each
  weight; Adam keeps two moving averages, `m` and `v`, for each.

An optimizer creates its slots in `build(variables)`, once, before the first
update, with `add_optimizer_variables`. Each slot sits at the same position as its
model variable in the list given to `build`, so `update_step` finds a variable's
slot through `self._get_variable_index(variable)`.

Example, the slots of SGD with momentum for a Dense layer's kernel and bias:

>>> dense = minilib.layers.Dense(2)
>>> dense.build((None, 3))
>>> optimizer = minilib.optimizers.SGD(momentum=0.9, name="sgd")
>>> optimizer.build(dense.trainable_weights)
>>> [variable.path for variable in optimizer.variables]  # doctest: +NORMALIZE_WHITESPACE
['sgd/iteration', 'sgd/learning_rate', 'sgd/dense_kernel_momentum',
 'sgd/dense_bias_momentum']
"""

import torch

from minilib.backend import Variable, to_torch_dtype


class OptimizerVariables:
    """The part of `Optimizer` that creates, lists and finds its variables (mixed in)."""

    @property
    def iterations(self):
        """How many updates were applied so far: an int64 Variable."""
        return self._iterations.variable

    @property
    def _completed_steps(self):
        """`iterations` as a Python int, for arithmetic inside `update_step`."""
        return self._iterations.value

    @property
    def variables(self):
        """All optimizer variables: `iteration`, `learning_rate` (when it is a float),
        then the slot variables in the order `build` created them."""
        return list(self._variables)

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """Create a non-trainable optimizer Variable filled with `initializer`.

        `initializer` is `"zeros"`, `"ones"` or a number to fill with.
        """
        fill_value = {"zeros": 0, "ones": 1}.get(initializer, initializer)
        value = torch.full(tuple(shape), fill_value, dtype=to_torch_dtype(dtype))
        return self._track(Variable(value, dtype=dtype, trainable=False, name=name))

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Create a slot variable shaped like `reference_variable`, on the same device.

        It is named after the model variable, e.g. `dense_kernel_momentum`.
        (A plain `torch.nn.Parameter` works too; its slots are named `variable_...`.)
        """
        reference_path = getattr(reference_variable, "path", "variable")
        name = f"{reference_path.replace('/', '_')}_{name or 'var'}"
        fill_value = {"zeros": 0, "ones": 1}.get(initializer, initializer)
        value = torch.full_like(reference_variable, fill_value)
        slot = Variable(value, dtype=value.dtype, trainable=False, name=name)
        if slot.device != reference_variable.device:
            # Variable() puts new values on the default device; slots must live with
            # their model variable, or every update would copy between devices.
            slot.data = slot.data.to(reference_variable.device)
        return self._track(slot)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per model variable; with a list of names, one list of slots per name.

        The slots are created variable by variable (for Adam: kernel momentum,
        kernel velocity, bias momentum, ...), which fixes the order of `variables`.
        """
        names = [name] if isinstance(name, str) else list(name)
        slot_lists = tuple([] for _ in names)
        for variable in trainable_variables:
            for slots, slot_name in zip(slot_lists, names, strict=True):
                slots.append(self.add_variable_from_reference(variable, slot_name, initializer))
        return slot_lists[0] if isinstance(name, str) else slot_lists

    def _track(self, variable):
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def build(self, variables):
        """Remember the model variables. Subclasses then create their slot variables."""
        self._trainable_variables = list(variables)
        self._variable_index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        self.built = True

    def _get_variable_index(self, variable):
        """The position of `variable` in the list given to `build`: it indexes the slots."""
        return self._variable_index[id(variable)]

    def _slots_of(self, slots, variables):
        """The entries of `slots` (one per variable given to `build`) for `variables`."""
        built = self._trainable_variables
        if len(variables) == len(built) and all(
                a is b for a, b in zip(variables, built, strict=True)):
            return slots  # the usual step: every variable, in build's order
        return [slots[self._variable_index[id(variable)]] for variable in variables]
