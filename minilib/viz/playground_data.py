"""What the Playground learns from: its 2-D data sets, and the features computed from a point.

A point has two coordinates, x1 and x2. A network that gets only those must
build every curve of its decision boundary out of straight lines. Giving it
*features* of the point as extra inputs (x1², x1·x2, sin x1, ...) lets even a
network without hidden layers draw circles or waves, which is what hidden
layers otherwise have to learn. As in TensorFlow Playground, every data set
is scaled into the same square, [-3, 3]², so that sin(x1) makes about one
wave across it.

    >>> x, y = playground_dataset("circles", n_samples=200, seed=0)
    >>> feature_matrix(x, ["x1^2", "x2^2"]).shape
    (200, 2)
"""

import numpy as np

from minilib import datasets

DATA_RADIUS = 3.0
DATASETS = ("circles", "two_moons", "spirals", "blobs")
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 ** 2,
    "x2^2": lambda x1, x2: x2 ** 2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def playground_dataset(name, n_samples, seed):
    """`n_samples` points of the data set `name`, and their labels (0.0 or 1.0).

    Returns float32 points `(n_samples, 2)`, centred and scaled so that the
    largest coordinate is `DATA_RADIUS`, and float32 labels `(n_samples,)`.
    """
    if name == "circles":  # a small circle of one class inside a ring of the other
        from sklearn.datasets import make_circles

        x, y = make_circles(n_samples=n_samples, noise=0.08, factor=0.5, random_state=seed)
    elif name == "two_moons":
        x, y = datasets.two_moons(n_samples, noise=0.15, seed=seed)
    elif name == "spirals":
        x, y = datasets.spirals(n_samples, noise=0.04, seed=seed, n_classes=2)
    elif name == "blobs":
        x, y = datasets.blobs(n_samples, noise=1.5, seed=seed, n_classes=2)
    else:
        raise ValueError(f"Unknown Playground dataset {name!r}; choose one of {list(DATASETS)}.")
    x = x - (x.max(axis=0) + x.min(axis=0)) / 2
    return (x / np.abs(x).max() * DATA_RADIUS).astype("float32"), y.astype("float32")


def feature_matrix(points, features):
    """The named `features` of 2-D `points`: an array of shape `(len(points), len(features))`.

        >>> feature_matrix(np.array([[2.0, 3.0]]), ["x1", "x1*x2", "x2^2"])
        array([[2., 6., 9.]], dtype=float32)
    """
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURES[name](x1, x2) for name in features], axis=1).astype("float32")
