"""SKLearnRegressor: a minilib regression model that scikit-learn can use like its own."""

import numpy as np
from sklearn.base import RegressorMixin

from minilib.wrappers.base import SKLBase


class SKLearnRegressor(RegressorMixin, SKLBase):
    """scikit-learn regressor around a minilib model.

    Args: as `SKLBase` (`model`, `warm_start`, `model_kwargs`, `fit_kwargs`).
    The model-building callable receives `y` as a float32 array of shape
    `(n_samples, n_targets)`.

    Fitted attributes: `model_`, `history_`, `n_features_in_`.

    A 1-D `y` is trained as a single column and predicted back as 1-D.

    Example, in a pipeline after a scaler:

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> def build(X, y, units=32):
    ...     model = minilib.Sequential([
    ...         minilib.Input(shape=(X.shape[1],)),
    ...         minilib.layers.Dense(units, activation="relu"),
    ...         minilib.layers.Dense(y.shape[1]),    # y arrives 2-D: (n_samples, n_targets)
    ...     ])
    ...     model.compile(optimizer="adam", loss="mse")
    ...     return model
    >>> X = np.random.default_rng(0).normal(size=(30, 4))
    >>> y = X @ np.array([1.0, -2.0, 0.5, 0.0])
    >>> reg = make_pipeline(StandardScaler(), minilib.wrappers.SKLearnRegressor(
    ...     build, fit_kwargs={"epochs": 2, "verbose": 0}))
    >>> reg.fit(X, y).predict(X[:3]).shape                # 1-D, as y was
    (3,)
    >>> type(reg.score(X, y))                              # R², as for any sklearn regressor
    <class 'float'>
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True  # a few epochs need not reach sklearn's bar
        return tags

    def _encode_target(self, y):
        self._y_ndim = np.ndim(y)
        return np.asarray(y, dtype="float32").reshape(len(y), -1)

    def predict(self, X):
        """The predicted targets, 1-D if the model was fitted on a 1-D `y`.

        float64, as scikit-learn requires of regressors, with the precision of the
        model's own dtype (see "Precision" in `minilib.wrappers.base`).
        """
        outputs = self._model_outputs(X).astype("float64")
        return outputs.reshape(-1) if self._y_ndim == 1 else outputs
