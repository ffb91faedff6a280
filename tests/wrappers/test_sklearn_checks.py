"""scikit-learn's own estimator checks, run on the three wrappers.

`parametrize_with_checks` makes one test per check (about 40 per estimator):
cloning, `get_params`/`set_params`, `NotFittedError` before `fit`, input
validation, `n_features_in_`, pickling, label handling, and so on.

The wrappers are tagged `non_deterministic` (random weights, shuffled
batches), which makes scikit-learn skip its "same fit twice, same result"
checks. Here the building function seeds minilib first, so every fit repeats
exactly; the `Seeded*` subclasses say so, and all those checks run too.

The models compute in float64, as scikeras's own tests do for the same checks:
scikit-learn compares float64 outputs to a relative 1e-7, finer than float32
arithmetic repeats between a batch of 1 and a batch of 20 (see "Precision" in
`minilib.wrappers.base`; the last test below shows that float32 difference).
Every check applies and passes: none is listed as an expected failure.
(Checks on pandas or array-API inputs skip themselves when those are not
installed; sample-weight checks do not apply, since `fit` passes extra
arguments to `model.fit` through `**kwargs`, as Keras's wrappers do.)
"""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import minilib
from minilib.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer


def build_mlp(X, y, units=8, activation=None, loss="mse", dtype="float64"):
    """A one-hidden-layer MLP sized from the data, seeded so that fits repeat."""
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(X.shape[1],)),
        minilib.layers.Dense(units, activation="relu", dtype=dtype),
        minilib.layers.Dense(y.shape[1], activation=activation, dtype=dtype),
    ])
    model.compile(optimizer="adam", loss=loss)
    return model


class _Seeded:
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False  # build_mlp seeds every fit
        return tags


class SeededClassifier(_Seeded, SKLearnClassifier):
    pass


class SeededRegressor(_Seeded, SKLearnRegressor):
    pass


class SeededTransformer(_Seeded, SKLearnTransformer):
    pass


FIT = {"epochs": 3, "verbose": 0}


@parametrize_with_checks(
    [
        SeededClassifier(build_mlp, fit_kwargs=FIT,
                         model_kwargs={"activation": "softmax",
                                       "loss": "categorical_crossentropy"}),
        SeededRegressor(build_mlp, fit_kwargs=FIT),
        SeededTransformer(build_mlp, fit_kwargs=FIT),
    ],
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("cls", [SKLearnClassifier, SKLearnRegressor, SKLearnTransformer])
def test_wrappers_declare_themselves_non_deterministic(cls):
    assert cls(build_mlp).__sklearn_tags__().non_deterministic


@pytest.mark.parametrize("dtype, rtol", [("float32", 1e-5), ("float64", 1e-12)])
def test_a_row_predicted_alone_matches_its_batch_to_the_models_precision(dtype, rtol):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), rng.normal(size=(40, 2))
    regressor = SKLearnRegressor(build_mlp, model_kwargs={"dtype": dtype}, fit_kwargs=FIT)
    batch = regressor.fit(X, y).predict(X)
    one_by_one = np.concatenate([regressor.predict(row[None]) for row in X])
    assert batch.dtype == np.float64  # scikit-learn's rule for regressors, whatever the model
    np.testing.assert_allclose(one_by_one, batch, rtol=rtol, atol=1e-7 if dtype == "float32" else 0)
