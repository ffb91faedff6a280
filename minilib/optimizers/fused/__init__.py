"""The fast path: each optimizer's update for all variables at once, with `torch._foreach_*`.

`sgd.py`, `adam.py`, ... next to this folder hold each optimizer's rule as a
student reads it: `update_step(gradient, variable, learning_rate)`, called once
per variable. That costs a few Python calls per variable and, on a GPU, one
small kernel launch per operation per variable. The functions here do the same
arithmetic, operation by operation, on lists: `torch._foreach_mul_(ms, beta)`
scales every variable's `m` in one call (on a GPU, in a few fused kernels).
Keras's torch backend does the same (`keras/src/backend/torch/optimizers/`).

`Optimizer.apply` takes this path by itself when

- the optimizer's class has a `_fused_update_step` written for the
  `update_step` it uses (a subclass that overrides `update_step` gets its own
  rule, the readable path);
- every variable of the step is on one device and has one dtype;
- `optimizer.use_fused_update` is True (the default; set it to False to run the
  readable rule, e.g. to step through it in a debugger).

Otherwise it calls `update_step` for each variable. Both paths give the same
numbers (tests/optimizers/test_fused_updates.py checks it for every optimizer
and option).
"""

from minilib.optimizers.fused.adagrad import adagrad_step
from minilib.optimizers.fused.adam import adam_step
from minilib.optimizers.fused.rmsprop import rmsprop_step
from minilib.optimizers.fused.sgd import sgd_step

__all__ = ["adagrad_step", "adam_step", "rmsprop_step", "sgd_step"]
