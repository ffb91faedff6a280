"""The wrappers inside scikit-learn's tools: pipelines, cross-validation, grid search."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import minilib
from minilib.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer

FIT = {"epochs": 20, "batch_size": 16, "verbose": 0}


def build_classifier(X, y, units=16):
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(X.shape[1],)),
        minilib.layers.Dense(units, activation="relu"),
        minilib.layers.Dense(y.shape[1], activation="softmax"),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(0.01), loss="categorical_crossentropy")
    return model


def build_regressor(X, y, units=16):
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(X.shape[1],)),
        minilib.layers.Dense(units, activation="relu"),
        minilib.layers.Dense(y.shape[1]),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(0.01), loss="mse")
    return model


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_pipeline_with_scaler_learns_iris(iris):
    X, y = iris
    pipeline = make_pipeline(StandardScaler(), SKLearnClassifier(build_classifier, fit_kwargs=FIT))
    assert pipeline.fit(X, y).score(X, y) > 0.9


def test_cross_val_score_on_digits():
    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16.0, y[:600]
    clf = SKLearnClassifier(build_classifier, model_kwargs={"units": 32},
                            fit_kwargs={"epochs": 10, "verbose": 0})
    scores = cross_val_score(clf, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.85


def test_grid_search_over_a_model_building_argument(iris):
    X, y = iris
    search = GridSearchCV(
        make_pipeline(StandardScaler(), SKLearnClassifier(build_classifier, fit_kwargs=FIT)),
        {"sklearnclassifier__model_kwargs": [{"units": 1}, {"units": 16}]}, cv=3)
    search.fit(X, y)
    assert search.best_params_ == {"sklearnclassifier__model_kwargs": {"units": 16}}
    assert search.best_estimator_[-1].model_.layers[0].units == 16


def test_arbitrary_labels_are_encoded_and_decoded(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = make_pipeline(StandardScaler(), SKLearnClassifier(build_classifier, fit_kwargs=FIT))
    clf.fit(X, names)
    assert list(clf[-1].classes_) == ["setosa", "versicolor", "virginica"]
    assert set(clf.predict(X)) <= set(names)
    probabilities = clf.predict_proba(X)
    assert probabilities.shape == (150, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_fitted_attributes(iris):
    X, y = iris
    clf = SKLearnClassifier(build_classifier, fit_kwargs={"epochs": 2, "verbose": 0})
    with pytest.raises(NotFittedError):
        clf.predict(X)
    clf.fit(X, y)
    assert clf.n_features_in_ == 4
    assert len(clf.history_["loss"]) == 2
    assert isinstance(clf.model_, minilib.Model)


def test_fit_keywords_override_fit_kwargs_without_changing_them(iris):
    X, y = iris
    fit_kwargs = {"epochs": 3, "verbose": 0}
    clf = SKLearnClassifier(build_classifier, fit_kwargs=fit_kwargs).fit(X, y, epochs=1)
    assert len(clf.history_["loss"]) == 1
    assert fit_kwargs == {"epochs": 3, "verbose": 0}


def test_a_compiled_model_instance_is_copied_afresh_at_each_fit():
    X = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = X @ np.array([1.0, -2.0, 0.5], dtype="float32")
    model = build_regressor(X, y.reshape(-1, 1))
    before = [w.copy() for w in model.get_weights()]
    reg = SKLearnRegressor(model, fit_kwargs=FIT).fit(X, y)
    assert reg.model_ is not model
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)  # the instance given stays untouched
    assert reg.predict(X).shape == (64,)
    assert reg.score(X, y) > 0.9
    assert clone(reg).model is not model  # clone deep-copies the model argument


def test_warm_start_keeps_training_the_same_model(iris):
    X, y = iris
    clf = SKLearnClassifier(build_classifier, warm_start=True,
                            fit_kwargs={"epochs": 1, "verbose": 0})
    first = clf.fit(X, y).model_
    assert clf.fit(X, y).model_ is first
    cold = SKLearnClassifier(build_classifier, fit_kwargs={"epochs": 1, "verbose": 0})
    assert cold.fit(X, y).model_ is not cold.fit(X, y).model_


def test_transformer_feeds_a_classical_model(iris):
    X, y = iris
    one_hot = np.eye(3, dtype="float32")[y]
    features = SKLearnTransformer(build_regressor, fit_kwargs=FIT).fit(X, one_hot)
    assert features.transform(X).shape == (150, 3)
    head = LogisticRegression(max_iter=500).fit(features.transform(X), y)
    assert head.score(features.transform(X), y) > 0.8


def test_errors_are_clear(iris):
    X, y = iris

    def uncompiled(X, y):
        return minilib.Sequential([minilib.Input(shape=(4,)), minilib.layers.Dense(3)])

    with pytest.raises(RuntimeError, match="compiled with a loss"):
        SKLearnClassifier(uncompiled).fit(X, y)
    with pytest.raises(TypeError, match="must be a compiled minilib model or a function"):
        SKLearnClassifier("not a model").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        SKLearnClassifier(build_classifier).fit(X, X[:, 0])
