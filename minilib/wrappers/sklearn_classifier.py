"""SKLearnClassifier: a minilib classifier that scikit-learn can use like its own."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets

from minilib.wrappers.base import SKLBase


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """scikit-learn classifier around a minilib model with one softmax output per class.

    Args: as `SKLBase` (`model`, `warm_start`, `model_kwargs`, `fit_kwargs`).
    The model-building callable receives `y` one-hot encoded, of shape
    `(n_samples, n_classes)`.

    Fitted attributes: `model_`, `history_`, `n_features_in_` and `classes_`
    (the sorted distinct labels; column `i` of `predict_proba` is `classes_[i]`).

    The labels may be anything scikit-learn accepts (ints, strings, ...): they are
    sorted into `classes_` and one-hot encoded for training; `predict` turns the
    most probable column back into a label.

    Example:

    >>> from sklearn.model_selection import cross_val_score
    >>> def build(X, y, units=32):
    ...     # y arrives one-hot encoded: one column per class.
    ...     model = minilib.Sequential([
    ...         minilib.Input(shape=(X.shape[1],)),
    ...         minilib.layers.Dense(units, activation="relu"),
    ...         minilib.layers.Dense(y.shape[1], activation="softmax"),
    ...     ])
    ...     model.compile(optimizer="adam", loss="categorical_crossentropy")
    ...     return model
    >>> X = np.random.default_rng(0).normal(size=(30, 4))
    >>> labels = np.array(["cat", "dog", "fish"] * 10)
    >>> clf = minilib.wrappers.SKLearnClassifier(
    ...     build, model_kwargs={"units": 16}, fit_kwargs={"epochs": 2, "verbose": 0})
    >>> clf.fit(X, labels).classes_
    array(['cat', 'dog', 'fish'], dtype='<U4')
    >>> clf.predict_proba(X[:2]).shape, clf.predict(X[:2]).dtype
    ((2, 3), dtype('<U4'))
    >>> cross_val_score(clf, X, labels, cv=3).shape      # one accuracy per fold
    (3,)
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # a few epochs need not reach sklearn's bar
        return tags

    _y_validation = {}

    def fit(self, X, y, **kwargs):
        """As `SKLBase.fit`; a `sample_weight` must leave weight on 2 classes at least."""
        sample_weight = kwargs.get("sample_weight")
        if sample_weight is not None:
            weighted = np.unique(np.asarray(y)[np.asarray(sample_weight) > 0])
            if len(weighted) < 2:
                raise ValueError(f"SKLearnClassifier needs samples of at least 2 classes with a "
                                 f"non-zero sample_weight, got {len(weighted)} class(es): "
                                 f"{weighted.tolist()}.")
        return super().fit(X, y, **kwargs)

    def _encode_target(self, y):
        check_classification_targets(y)
        if self.warm_start and hasattr(self, "classes_"):
            if not np.isin(y, self.classes_).all():
                raise ValueError(f"warm_start: y has labels outside the classes of the first "
                                 f"fit, {self.classes_.tolist()}.")
        else:
            self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"SKLearnClassifier needs samples of at least 2 classes, got "
                             f"1 class: {self.classes_.tolist()}.")
        indices = np.searchsorted(self.classes_, y)
        return np.eye(len(self.classes_), dtype="float32")[indices]

    def predict_proba(self, X):
        """The model's output: one probability per class, columns in `classes_` order."""
        return self._model_outputs(X)

    def predict(self, X):
        """The most probable label for each sample."""
        probabilities = self.predict_proba(X)  # checks first that fit was called
        return self.classes_[probabilities.argmax(axis=1)]
