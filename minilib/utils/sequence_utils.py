"""pad_sequences: make sequences of different lengths into one rectangular array."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pad (and cut) each sequence to `maxlen` steps; returns an array `(len(sequences), maxlen)`.

    Args:
        sequences: a list of sequences (lists or arrays). The steps may themselves be
            arrays, e.g. feature vectors; the result then has shape `(n, maxlen, features)`.
        maxlen: the output length; default the length of the longest sequence.
        dtype: dtype of the result. Use `object` for strings of different lengths.
        padding: `"pre"` puts the padding `value` before each sequence, `"post"` after it.
        truncating: `"pre"` drops the first steps of a longer sequence (keeping the
            latest ones), `"post"` drops the last steps.
        value: the padding value.

    Example:

    >>> minilib.utils.pad_sequences([[1, 2, 3], [4, 5], [6]])
    array([[1, 2, 3],
           [0, 4, 5],
           [0, 0, 6]], dtype=int32)
    >>> minilib.utils.pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2, padding="post",
    ...                              truncating="post")
    array([[1, 2],
           [4, 5],
           [6, 0]], dtype=int32)
    """
    if padding not in ("pre", "post"):
        raise ValueError(f'padding must be "pre" or "post", got {padding!r}.')
    if truncating not in ("pre", "post"):
        raise ValueError(f'truncating must be "pre" or "post", got {truncating!r}.')
    try:
        lengths = [len(sequence) for sequence in sequences]
    except TypeError as error:
        raise ValueError("`sequences` must be a list of sequences (lists or arrays), "
                         "e.g. [[1, 2], [3]].") from error
    is_text_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text_dtype:
        raise ValueError(f"The padding value {value!r} is a string but dtype={dtype!r}; "
                         f"use dtype=object for strings.")
    if maxlen is None:
        maxlen = max(lengths, default=0)
    step_shape = next((np.asarray(s).shape[1:] for s in sequences if len(s)), ())

    padded = np.full((len(lengths), maxlen) + step_shape, value, dtype=dtype)
    for row, sequence in enumerate(sequences):
        kept = np.asarray(sequence, dtype=dtype)
        if len(kept) > maxlen:
            kept = kept[len(kept) - maxlen:] if truncating == "pre" else kept[:maxlen]
        if len(kept) == 0:
            continue
        if kept.shape[1:] != step_shape:
            raise ValueError(f"Sequence {row} has steps of shape {kept.shape[1:]}, but the "
                             f"first non-empty sequence has steps of shape {step_shape}.")
        if padding == "pre":
            padded[row, maxlen - len(kept):] = kept
        else:
            padded[row, :len(kept)] = kept
    return padded
