"""Sales: four years of made-up daily sales of a shop, for forecasting with an RNN.

Each day's value is a slow upward trend, plus a weekly rhythm (busy weekends),
plus a yearly season (a summer peak), plus random noise. A good forecaster
learns the trend and both cycles; only the noise is unpredictable.
"""

import numpy as np

NUM_DAYS = 4 * 365


def load_series(num_days=NUM_DAYS, noise=4.0, seed=0):
    """Daily sales as a float32 array of shape `(num_days,)`; day 0 is a Monday, 1 January.

    Args:
        num_days: length of the series.
        noise: standard deviation of the day-to-day random noise.
        seed: seed of the noise (the same seed gives the same series).
    """
    day = np.arange(num_days)
    trend = 100 + 0.03 * day
    weekly = np.where(day % 7 >= 5, 15.0, 0.0) + 3 * np.sin(2 * np.pi * day / 7)
    yearly = -12 * np.cos(2 * np.pi * day / 365.25)  # lowest in January, highest in July
    noise = np.random.default_rng(seed).normal(0, noise, num_days)
    return (trend + weekly + yearly + noise).astype("float32")


def load_data(sequence_length=30, test_split=0.2, seed=0):
    """Windows of the series with the next day's sales as target, split by time.

    Args:
        sequence_length: days of history in each window.
        test_split: the last fraction of the days is the test period; a window goes to
            the test set when the day it predicts falls in that period.
        seed: seed of the noise, as in `load_series`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x float32 of shape
        `(N, sequence_length, 1)`, y float32 of shape `(N,)`, in time order.

    Example:

    >>> series = minilib.datasets.sales.load_series()          # (1460,) float32
    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.sales.load_data()
    >>> x_train.shape, y_train.shape                          # 30 days in, the next day out
    ((1138, 30, 1), (1138,))
    >>> mean, std = x_train.mean(), x_train.std()              # normalise before training
    >>> x_train, y_train = (x_train - mean) / std, (y_train - mean) / std
    """
    series = load_series(seed=seed)
    starts = np.arange(len(series) - sequence_length)
    x = series[starts[:, None] + np.arange(sequence_length)][..., None]
    y = series[starts + sequence_length]
    in_train = starts + sequence_length < int(len(series) * (1 - test_split))
    return (x[in_train], y[in_train]), (x[~in_train], y[~in_train])
