"""SKLearnTransformer: a trained minilib model used as a scikit-learn transformer."""

import numpy as np
from sklearn.base import TransformerMixin

from minilib.wrappers.base import SKLBase


class SKLearnTransformer(TransformerMixin, SKLBase):
    """scikit-learn transformer whose `transform` is the trained model's `predict`.

    "Transformer" in scikit-learn's sense: a step that turns `X` into new
    features, `transform(X) = model.predict(X)`. A typical use trains a network
    on a supervised task, then feeds its outputs (or an embedding) to a
    classical model. `fit` needs a `y` (the targets the network is trained on);
    for an autoencoder pass `y=X`.

    Args: as `SKLBase` (`model`, `warm_start`, `model_kwargs`, `fit_kwargs`).
    The model-building callable receives `y` as a float32 array of shape
    `(n_samples, n_targets)`.

    Fitted attributes: `model_`, `history_`, `n_features_in_`.

    Example, an autoencoder's output as features, then a network in a pipeline:

    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> def build(X, y):
    ...     model = minilib.Sequential([
    ...         minilib.Input(shape=(X.shape[1],)),
    ...         minilib.layers.Dense(8, activation="tanh"),
    ...         minilib.layers.Dense(y.shape[1]),        # one output per target column
    ...     ])
    ...     model.compile(optimizer="adam", loss="mse")
    ...     return model
    >>> X = np.random.default_rng(0).normal(size=(30, 4))
    >>> features = minilib.wrappers.SKLearnTransformer(build, fit_kwargs={"verbose": 0})
    >>> features.fit(X, y=X).transform(X).shape             # trained to give X back
    (30, 4)
    >>> labels = X[:, 0] > 0
    >>> pipeline = make_pipeline(features, LogisticRegression()).fit(X, labels)
    >>> pipeline.predict(X[:3]).shape
    (3,)
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []  # the output is always float32
        return tags

    def _encode_target(self, y):
        return np.asarray(y, dtype="float32").reshape(len(y), -1)

    def transform(self, X):
        """The model's outputs for `X`, shape `(n_samples, n_outputs)`."""
        return self._model_outputs(X)
