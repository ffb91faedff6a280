"""Two-dimensional toy problems for drawing decision boundaries.

Each function returns `(x, y)`: `x` float32 points of shape `(n_samples, 2)`,
`y` int64 class labels of shape `(n_samples,)`, shuffled. The same `seed`
gives the same points.
"""

import numpy as np


def two_moons(n_samples=500, noise=0.1, seed=0):
    """Two interleaving half circles (class 0 on top, class 1 below), with Gaussian noise.

    One bend separates them: a straight line cannot, a small network can.

    Example, with the last fifth held out for testing:

    >>> x, y = minilib.datasets.two_moons(n_samples=1000, noise=0.2, seed=0)
    >>> x.shape, x.dtype, y.shape, y.dtype
    ((1000, 2), dtype('float32'), (1000,), dtype('int64'))
    >>> (x_train, y_train), (x_test, y_test) = (x[:800], y[:800]), (x[800:], y[800:])
    """
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return x.astype("float32"), y.astype("int64")


def spirals(n_samples=500, noise=0.1, seed=0, n_classes=2, turns=1.5):
    """`n_classes` spiral arms winding `turns` times around the origin, radius up to 1.

    `noise` is the standard deviation of the Gaussian noise added to each coordinate.
    Only a network that can draw a winding boundary separates them.

    Example:

    >>> x, y = minilib.datasets.spirals(n_samples=300, n_classes=3, seed=0)
    >>> x.shape, np.bincount(y)                  # 100 points per arm
    ((300, 2), array([100, 100, 100]))
    """
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n_samples) % n_classes)
    radius = rng.uniform(0.05, 1.0, n_samples)
    angle = 2 * np.pi * (turns * radius + y / n_classes)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    x += rng.normal(0, noise, x.shape)
    return x.astype("float32"), y.astype("int64")


def blobs(n_samples=500, noise=1.0, seed=0, n_classes=3):
    """`n_classes` round Gaussian clouds (standard deviation `noise`) in the box [-10, 10]^2.

    Straight lines separate them: the easiest of the three toy problems.

    Example:

    >>> x, y = minilib.datasets.blobs(n_samples=300, seed=0)
    >>> x.shape, np.bincount(y)
    ((300, 2), array([100, 100, 100]))
    """
    from sklearn.datasets import make_blobs

    x, y = make_blobs(n_samples=n_samples, centers=n_classes, cluster_std=noise,
                      random_state=seed)
    return x.astype("float32"), y.astype("int64")
