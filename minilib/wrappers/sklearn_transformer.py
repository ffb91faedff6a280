"""SKLearnTransformer: a trained minilib model used as a scikit-learn transformer.

"Transformer" in scikit-learn's sense: a step that turns `X` into new
features, `transform(X) = model.predict(X)`. A typical use trains a network
on a supervised task, then feeds its outputs (or an embedding) to a
classical model::

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    import minilib as keras

    def build(X, y):
        model = keras.Sequential([
            keras.Input(shape=(X.shape[1],)),
            keras.layers.Dense(8, activation="tanh"),   # 8 learned features
            keras.layers.Dense(y.shape[1]),
        ])
        model.compile(optimizer="adam", loss="mse")
        return model

    features = keras.wrappers.SKLearnTransformer(build, fit_kwargs={"verbose": 0})
    make_pipeline(features, LogisticRegression()).fit(X, labels)

`fit` needs a `y` (the targets the network is trained on); for an autoencoder
pass `y=X`.
"""

import numpy as np
from sklearn.base import TransformerMixin

from minilib.wrappers.base import SKLBase


class SKLearnTransformer(TransformerMixin, SKLBase):
    """scikit-learn transformer whose `transform` is the trained model's `predict`.

    Args: as `SKLBase` (`model`, `warm_start`, `model_kwargs`, `fit_kwargs`).
    The model-building callable receives `y` as a float32 array of shape
    `(n_samples, n_targets)`.

    Fitted attributes: `model_`, `history_`, `n_features_in_`.
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
