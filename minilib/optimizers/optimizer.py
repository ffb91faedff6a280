"""Optimizer: the base class that turns gradients into updates of the model's variables.

This file holds the recipe every optimizer follows at each step (`apply`) and the
rule each one writes for itself (`update_step`). The rest of the class lives next
to it, one concept per file:

- `optimizer_variables.py`: the step counter and the slot variables (`build`);
- `learning_rate.py`: a fixed learning rate or a schedule;
- `gradient_clipping.py`: `clipnorm`, `global_clipnorm`, `clipvalue`;
- `weight_decay.py`: `weight_decay` and `exclude_from_weight_decay`;
- `fused/`: the fast path, every variable's update at once.
"""

import functools

import torch

from minilib.backend.naming import to_snake_case, unique_name
from minilib.optimizers import schedules
from minilib.optimizers.gradient_clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from minilib.optimizers.host_copy import HostCopy
from minilib.optimizers.learning_rate import LearningRate
from minilib.optimizers.optimizer_variables import OptimizerVariables
from minilib.optimizers.weight_decay import WeightDecay


class Optimizer(OptimizerVariables, LearningRate, WeightDecay):
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
        # optimizer_variables.py
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._variable_index = {}  # id(model variable) -> its position in build()'s list
        iterations = self.add_variable((), initializer="zeros", dtype="int64", name="iteration")
        self._iterations = HostCopy(iterations, 0)
        # weight_decay.py
        self._excluded_from_weight_decay = set()
        self._excluded_name_pattern = None
        # learning_rate.py
        self._schedule = None
        self._constant_learning_rate = None
        self._set_learning_rate(learning_rate)

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

    def _gradients_to_apply(self, grads, variables):
        """Step 1: the pairs with a gradient and a trainable variable, in the variable's dtype."""
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

    def _clip_gradients(self, grads):
        """Step 2: clipped copies of the gradients (see `gradient_clipping.py`), if asked."""
        if self.clipnorm and self.clipnorm > 0:
            return [clip_by_norm(gradient, self.clipnorm) for gradient in grads]
        if self.global_clipnorm and self.global_clipnorm > 0 and grads:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [clip_by_value(gradient, self.clipvalue) for gradient in grads]
        return grads

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
