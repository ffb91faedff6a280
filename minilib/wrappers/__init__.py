"""Wrappers that let scikit-learn use minilib models like its own estimators.

    from sklearn.model_selection import GridSearchCV
    import minilib as keras

    search = GridSearchCV(
        keras.wrappers.SKLearnClassifier(build_model, fit_kwargs={"verbose": 0}),
        {"model_kwargs": [{"units": 8}, {"units": 32}]}, cv=3)
    search.fit(X, y)

They need scikit-learn (1.6 or newer), as in Keras 3.
"""

from minilib.wrappers.sklearn_classifier import SKLearnClassifier
from minilib.wrappers.sklearn_regressor import SKLearnRegressor
from minilib.wrappers.sklearn_transformer import SKLearnTransformer

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
