"""Why `fit` looks up the model's trainable weights once, not at every step.

A training step needs the trainable weights (to take their gradients and update
them) and every layer of the model (to collect the losses added with `add_loss`).
`model.trainable_weights` finds them by walking all the layers and dropping
repeats: for a small model that walk takes longer than the step's arithmetic.
So while `fit`, `evaluate`, `train_on_batch` or `test_on_batch` runs, the first
step looks them up and the next steps reuse what it found.

What this means for `trainable`, Keras's rule: a layer unfrozen in the middle
of `fit()` trains from the next `fit()` on (after `compile()`, as in Keras, so that
the optimizer gets its weights). Freezing acts at once anyway: a frozen weight gets
no gradient, and the optimizer skips it. Outside those methods, for a `train_step`
you call yourself, every lookup is fresh.

>>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(1)])
>>> lookups = CachedLookups()
>>> with lookups.during_run():
...     found_at_first_step = lookups.trainable_weights(model)
...     model.trainable = False  # too late for this run
...     lookups.trainable_weights(model) is found_at_first_step
True
>>> lookups.trainable_weights(model)  # after the run: looked up again
[]
"""

import contextlib


class CachedLookups:
    """A model's trainable weights and layers, looked up once per run of `fit` or `evaluate`."""

    def __init__(self):
        self._in_run = False
        self._found = None  # (trainable weights, layers), once a step of the run looked

    @contextlib.contextmanager
    def during_run(self):
        """Inside this block, the first lookup is kept and reused; it is dropped at the end.

        A block inside another (`evaluate` called by a callback during `fit`) makes
        its own lookup, and the outer block gets its own back afterwards.
        """
        outer_run = self._in_run, self._found
        self._in_run, self._found = True, None
        try:
            yield
        finally:
            self._in_run, self._found = outer_run

    def trainable_weights(self, model):
        """`model.trainable_weights`."""
        return self._look_up(model)[0]

    def layers(self, model):
        """The model and every layer inside it, each once."""
        return self._look_up(model)[1]

    def _look_up(self, model):
        if self._found is not None:
            return self._found
        found = (model.trainable_weights, [model, *model._descendants()])
        if self._in_run and model.built:  # (unbuilt: its first call is still making weights)
            self._found = found
        return found
