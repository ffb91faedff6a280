"""SKLBase: what the three scikit-learn wrappers share.

scikit-learn expects every estimator to follow a small contract:

* the constructor only *stores* its arguments (so `sklearn.base.clone` and
  `GridSearchCV` can copy an estimator by re-calling it with `get_params()`);
* `fit(X, y)` does the work, returns `self`, and sets "fitted attributes"
  whose names end in `_` (`model_`, `history_`, `n_features_in_`);
* predicting before fitting raises `NotFittedError`.

The wrappers build a minilib model inside `fit`, from the `model` argument:

* a callable: it is called as `model(X=X, y=y, **model_kwargs)` and must
  return a *compiled* model, sized from the data it is given;
* a model instance, already compiled: each `fit` trains a fresh copy (same
  architecture and compile settings, new weights), so the instance you passed
  in is never changed.

Neural networks start from random weights and see the data in a random order,
so two fits differ unless you seed: call `minilib.utils.set_random_seed(...)`
inside the building function to make every fit repeat exactly.

Precision. A model computes in its own dtype, float32 unless you choose
another. The outputs keep that precision: `predict_proba` and `transform`
return the model's float32 arrays, and `SKLearnRegressor.predict` returns
float64 (scikit-learn requires float64 from regressors) holding float32
numbers. In float32, the same row can come out one unit in the last place
apart when it is predicted alone or inside a batch (a batch of 1 and a batch
of 20 take different matrix-multiply paths). scikit-learn's estimator checks
compare float32 outputs at a relative tolerance of 1e-4 and float64 outputs at
1e-7, which a float32 network cannot promise. To run those checks, build the
model in float64 (`dtype="float64"` on its layers): that is how scikeras tests
Keras models against the same checks. For everyday use float32 is the right
choice, and its differences are far below any model's error.
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from minilib.models import Model
from minilib.serialization import deserialize_keras_object, serialize_keras_object


class SKLBase(BaseEstimator):
    """Base class of `SKLearnClassifier`, `SKLearnRegressor` and `SKLearnTransformer`.

    Args:
        model: a callable `model(X=..., y=..., **model_kwargs)` that returns a
            compiled minilib model, or a compiled model (copied afresh at each fit).
        warm_start: if True, a second `fit` keeps training the model of the
            first one instead of starting again from new weights.
        model_kwargs: extra keyword arguments for the `model` callable; these
            are what `GridSearchCV` can tune (`{"model_kwargs": [{"units": 8}, ...]}`).
        fit_kwargs: keyword arguments for `model.fit`, such as
            `{"epochs": 20, "verbose": 0}`. Keyword arguments given to the
            wrapper's `fit` itself take precedence.

    Fitted attributes: `model_` (the trained model), `history_` (the dict of
    per-epoch metrics, `model_.history.history`) and `n_features_in_`.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True  # random initial weights and shuffling
        return tags

    def fit(self, X, y, **kwargs):
        """Build (or reuse, with `warm_start`) a model and train it on `X`, `y`.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            y: the targets, array-like of shape `(n_samples,)` or `(n_samples, n_outputs)`.
            **kwargs: passed to `model.fit` (e.g. `epochs=5`), over `fit_kwargs`.
        """
        X, y = validate_data(self, X, y, dtype="float32", **self._y_validation)
        y = self._encode_target(y)
        if self.warm_start and hasattr(self, "model_"):
            model = self.model_
        else:
            model = self._new_model(X, y)
        history = model.fit(X, y, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        self.history_ = history.history
        return self

    def _new_model(self, X, y):
        if isinstance(self.model, Model):
            model = _fresh_copy(self.model)
        elif callable(self.model):
            model = self.model(X=X, y=y, **(self.model_kwargs or {}))
        else:
            raise TypeError(f"{type(self).__name__}: `model` must be a compiled minilib model "
                            f"or a function that returns one, got {self.model!r}.")
        if not isinstance(model, Model) or not model.compiled or model.loss is None:
            raise RuntimeError(f"{type(self).__name__}: the model must be a minilib model "
                               f"compiled with a loss and an optimizer, got {model!r}.")
        return model

    def _model_outputs(self, X):
        """The trained model's raw outputs for `X`, after the usual checks."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype="float32", reset=False)
        return np.asarray(self.model_.predict(X, verbose=0))

    # What `validate_data` accepts as `y`, and how `y` becomes training targets:
    # the subclasses override these two.
    _y_validation = {"multi_output": True, "y_numeric": True}

    def _encode_target(self, y):
        return y


def _fresh_copy(model):
    """A new model with `model`'s architecture and compile settings, and new weights."""
    return deserialize_keras_object(serialize_keras_object(model))
