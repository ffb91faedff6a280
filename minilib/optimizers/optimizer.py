"""Optimizer: the base class that turns gradients into updates of the model's variables."""

import functools
import re

import torch

from minilib.backend import Variable, to_torch_dtype
from minilib.backend.naming import to_snake_case, unique_name
from minilib.optimizers import schedules
from minilib.optimizers.gradient_clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from minilib.optimizers.host_copy import HostCopy
from minilib.optimizers.schedules import LearningRateSchedule


class Optimizer:
    """Base class of all optimizers. Subclasses implement `update_step`, and `build`
    when they keep slot variables.

    Every optimizer runs the same recipe once per training batch, in `apply`:

    1. drop the variables that got no gradient (`None`) or are frozen (`trainable=False`);
    2. clip the gradients, if `clipnorm`, `clipvalue` or `global_clipnorm` is set;
    3. shrink each variable a little, if `weight_decay` is set:
       `w <- w - learning_rate * weight_decay * w` (decoupled weight decay, as in AdamW);
    4. call `update_step(gradient, variable, learning_rate)` for each variable: the
       only part that differs between SGD, Adam, RMSprop, ...;
    5. add one to `iterations`.

    A new optimizer therefore only writes `build` (to create its *slot variables*,
    such as Adam's moving averages, one per model variable) and `update_step`.

    minilib's own optimizers also have a fast path for steps 3 and 4: one
    `torch._foreach_*` call per operation for all variables together, instead of
    one call per variable (`_fused_update_step`, see `fused/__init__.py` for when
    it is used). `update_step` stays the rule to read; both give the same numbers.

    Everything happens in place on the variable tensors, and the learning rate and
    the step count reach `update_step` as plain Python numbers (see `host_copy.py`
    for why), so a step never waits for the GPU.

    Args:
        learning_rate: a float, or a `LearningRateSchedule` that gives the rate
            for each step.
        weight_decay: if set, every step first does `w <- w - lr * weight_decay * w`.
        clipnorm: if set, each gradient is rescaled so that its L2 norm is at most this.
        clipvalue: if set, each gradient entry is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are rescaled together so that the
            norm of all of them, taken as one long vector, is at most this.
        name: a name for the optimizer and a prefix for its variables' paths.

    Attributes:
        use_fused_update: whether `apply` may take the fast path (`fused/`) when it
            can; set it to False to run `update_step` variable by variable.

    Example, a custom optimizer (plain gradient descent), then one step with it:

    >>> class GradientDescent(minilib.optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         variable.add_(gradient, alpha=-learning_rate)  # w <- w - lr * g
    >>> w = minilib.Variable([1.0, 2.0])
    >>> optimizer = GradientDescent(learning_rate=0.1)
    >>> optimizer.apply([torch.tensor([1.0, -1.0])], [w])
    >>> w.numpy(), int(optimizer.iterations)
    (array([0.9, 2.1], dtype=float32), 1)

    With `clipvalue=0.5`, step 2 of the recipe clips the gradient before the update:

    >>> w = minilib.Variable([1.0, 2.0])
    >>> GradientDescent(learning_rate=0.1, clipvalue=0.5).apply([torch.tensor([3.0, -3.0])], [w])
    >>> w.numpy()
    array([0.95, 2.05], dtype=float32)
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        clip_settings = [clipnorm, clipvalue, global_clipnorm]
        if sum(setting is not None for setting in clip_settings) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_fused_update = True
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._variable_index = {}  # id(model variable) -> its position in build()'s list
        self._excluded_from_weight_decay = set()
        self._excluded_name_pattern = None

        iterations = self.add_variable((), initializer="zeros", dtype="int64", name="iteration")
        self._iterations = HostCopy(iterations, 0)
        self._schedule = None
        self._constant_learning_rate = None
        self._set_learning_rate(learning_rate)

    # ----- learning rate -------------------------------------------------------------------

    @property
    def learning_rate(self):
        """The learning rate of the next step.

        For a float learning rate this is the `learning_rate` Variable, so
        `float(opt.learning_rate)` reads it. For a schedule it is the schedule's
        value at the current `iterations`, as a float.
        """
        if self._schedule is not None:
            return self._current_learning_rate()
        return self._constant_learning_rate.variable

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self._set_learning_rate(learning_rate)

    def _set_learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule):
            if self._constant_learning_rate is not None:
                self._variables.remove(self._constant_learning_rate.variable)
                self._constant_learning_rate = None
            self._schedule = learning_rate
            return
        if self._schedule is not None:
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` as its "
                "`learning_rate`, so its learning rate cannot be set to a number. "
                "Create the optimizer with a float `learning_rate` to be able to change it."
            )
        if callable(learning_rate) or isinstance(learning_rate, bool):
            raise TypeError(
                "`learning_rate` must be a float or a `LearningRateSchedule`. "
                f"Received: learning_rate={learning_rate!r}"
            )
        value = float(learning_rate)
        if self._constant_learning_rate is None:
            variable = self.add_variable((), initializer=value, name="learning_rate")
            self._constant_learning_rate = HostCopy(variable, value)
        else:
            self._constant_learning_rate.set(value)

    def _current_learning_rate(self):
        """The learning rate for this step as a Python float."""
        if self._schedule is not None:
            return float(self._schedule(self._iterations.value))
        return self._constant_learning_rate.value

    # ----- variables -----------------------------------------------------------------------

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

    # ----- one training step ---------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Apply a list of `(gradient, variable)` pairs. Returns `iterations`."""
        grads, variables = zip(*grads_and_vars, strict=True)
        self.apply(grads, variables)
        return self.iterations

    @torch.no_grad()
    def apply(self, grads, trainable_variables=None):
        """Update the variables with their gradients: one optimizer step.

        Args:
            grads: one gradient tensor (or `None`) per variable.
            trainable_variables: the variables, in the same order. The first call
                builds the optimizer for them; later calls may leave them out.
        """
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "The optimizer is not built yet: pass `trainable_variables` to the "
                    "first `apply` or call `optimizer.build(trainable_variables)`."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Received {len(grads)} gradients for {len(trainable_variables)} variables."
            )

        grads, variables = self._gradients_to_apply(grads, trainable_variables)
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        fused = self._takes_fused_path(variables)
        if self.weight_decay:
            self._apply_weight_decay(variables, learning_rate, fused)
        if fused:
            self._fused_update_step(grads, variables, learning_rate)
        else:
            for gradient, variable in zip(grads, variables, strict=True):
                self.update_step(gradient, variable, learning_rate)
        for variable in variables:
            # A Variable's constraint (from add_weight) projects it back after the step.
            if getattr(variable, "constraint", None) is not None:
                variable.copy_(variable.constraint(variable))
        self._iterations.add(1)

    def update_step(self, gradient, variable, learning_rate):
        """Update one variable in place. `learning_rate` is a Python float."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step`.")

    # ----- the fast path (see fused/__init__.py) -------------------------------------------

    def _takes_fused_path(self, variables):
        """True when this step can run `_fused_update_step(grads, variables, learning_rate)`.

        That method, where a class defines it next to its `update_step`, does
        `update_step`'s work for all `variables` at once (see `fused/__init__.py`).
        """
        if not (variables and self.use_fused_update and _fused_step_matches_rule(type(self))):
            return False
        device, dtype = variables[0].device, variables[0].dtype
        return all(v.device == device and v.dtype == dtype for v in variables)

    def _slots_of(self, slots, variables):
        """The entries of `slots` (one per variable given to `build`) for `variables`."""
        built = self._trainable_variables
        if len(variables) == len(built) and all(
                a is b for a, b in zip(variables, built, strict=True)):
            return slots  # the usual step: every variable, in build's order
        return [slots[self._variable_index[id(variable)]] for variable in variables]

    # Keras's helpers for custom `update_step` code, e.g. `self.assign_add(variable, m)`.

    @torch.no_grad()
    def assign(self, variable, value):
        """`variable <- value`, in place."""
        variable.copy_(torch.as_tensor(value, dtype=variable.dtype, device=variable.device))

    @torch.no_grad()
    def assign_add(self, variable, value):
        """`variable <- variable + value`, in place."""
        variable.add_(value)

    @torch.no_grad()
    def assign_sub(self, variable, value):
        """`variable <- variable - value`, in place."""
        variable.sub_(value)

    def _gradients_to_apply(self, grads, variables):
        """Keep the pairs with a gradient and a trainable variable, in the variable's dtype."""
        if all(gradient is None for gradient in grads):
            raise ValueError("No gradients provided for any variable.")
        kept_grads, kept_variables = [], []
        for gradient, variable in zip(grads, variables, strict=True):
            if id(variable) not in self._variable_index:
                raise ValueError(
                    f"Unknown variable {getattr(variable, 'path', '')!r}: this optimizer was "
                    "built for other variables. Create a new optimizer for a new set of variables."
                )
            if gradient is None or not getattr(variable, "trainable", True):
                continue
            if gradient.dtype != variable.dtype:
                gradient = gradient.to(variable.dtype)
            kept_grads.append(gradient)
            kept_variables.append(variable)
        return kept_grads, kept_variables

    # ----- gradient clipping ---------------------------------------------------------------

    def _clip_gradients(self, grads):
        """Return clipped copies of the gradients; the originals are left untouched."""
        if self.clipnorm and self.clipnorm > 0:
            return [clip_by_norm(gradient, self.clipnorm) for gradient in grads]
        if self.global_clipnorm and self.global_clipnorm > 0 and grads:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [clip_by_value(gradient, self.clipvalue) for gradient in grads]
        return grads

    # ----- weight decay --------------------------------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Turn weight decay off for some variables. Call it before the first step.

        Args:
            var_list: variables to leave undecayed.
            var_names: name fragments (regular expressions); a variable whose
                name contains one of them is left undecayed, e.g. `["bias"]`.
        """
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` must be called before the optimizer is built."
            )
        self._excluded_from_weight_decay = {id(variable) for variable in var_list or ()}
        self._excluded_name_pattern = re.compile("|".join(var_names)) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._excluded_from_weight_decay:
            return False
        pattern = self._excluded_name_pattern
        return pattern is None or pattern.search(getattr(variable, "name", "")) is None

    def _apply_weight_decay(self, variables, learning_rate, fused=False):
        # w <- w - lr * weight_decay * w, before and apart from the gradient step
        shrink = 1.0 - learning_rate * self.weight_decay
        decayed = [variable for variable in variables if self._use_weight_decay(variable)]
        if fused and decayed:  # (torch's _foreach ops reject an empty list)
            torch._foreach_mul_(decayed, shrink)
            return
        for variable in decayed:
            variable.mul_(shrink)

    # ----- configuration -------------------------------------------------------------------

    def get_config(self):
        """The constructor arguments as a dict; `from_config` rebuilds an equal optimizer."""
        if self._schedule is not None:
            learning_rate = schedules.serialize(self._schedule)
        else:
            learning_rate = self._constant_learning_rate.value
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Create an optimizer from `get_config()`'s dict (slot values are not restored)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


@functools.cache
def _fused_step_matches_rule(optimizer_class):
    """True when the class that gives `optimizer_class` its `update_step` also wrote a
    `_fused_update_step`: a subclass that changes `update_step` must not be bypassed."""
    rule_owner = next(cls for cls in optimizer_class.__mro__ if "update_step" in vars(cls))
    return "_fused_update_step" in vars(rule_owner)
