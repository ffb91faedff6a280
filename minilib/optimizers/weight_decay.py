"""Weight decay: shrink every weight a little at each step, to keep weights small.

With `weight_decay=wd`, each step first does `w <- w - learning_rate * wd * w`,
apart from the gradient step. This is *decoupled* weight decay, AdamW's kind
(Loshchilov & Hutter, 2019): the shrink does not go through the gradient, so
Adam's per-weight scaling does not weaken it.

Some weights are usually left alone, biases and normalization scales for
instance: `exclude_from_weight_decay` names them, before the first step.

>>> w, b = minilib.Variable([1.0], name="kernel"), minilib.Variable([1.0], name="bias")
>>> optimizer = minilib.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
>>> optimizer.exclude_from_weight_decay(var_names=["bias"])
>>> optimizer.apply([torch.zeros(1), torch.zeros(1)], [w, b])  # zero gradients: decay only
>>> w.numpy(), b.numpy()  # w <- w - 0.1 * 0.5 * w; b is excluded
(array([0.95], dtype=float32), array([1.], dtype=float32))
"""

import re

import torch


class WeightDecay:
    """The part of `Optimizer` that applies `weight_decay` (mixed in)."""

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
