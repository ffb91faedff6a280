"""The index arithmetic that `imdb` and `reuters` share, step by step as Keras does it.

In the stored files word `w` is its frequency rank (1 = most frequent). Loading
shifts every word by `index_from` to free the small indices for markers:
0 pads, `start_char` (1) opens each sequence and `oov_char` (2) replaces a
word outside the vocabulary. With the defaults, the most frequent word is 4:

    >>> mark_and_shift([[1, 5]], start_char=1, index_from=3)
    [[1, 4, 8]]
    >>> limit_vocabulary([[1, 4, 8]], num_words=5, skip_top=0, oov_char=2)
    [[1, 4, 2]]
"""


def mark_and_shift(sequences, start_char, index_from):
    """Add `index_from` to every word and put `start_char` (unless None) in front."""
    if start_char is not None:
        return [[start_char] + [word + index_from for word in sequence]
                for sequence in sequences]
    return [[word + index_from for word in sequence] for sequence in sequences]


def drop_long(maxlen, sequences, labels):
    """Keep the sequences shorter than `maxlen` (start mark included) and their labels.

    Keras keeps a sequence only when `len(sequence) < maxlen`, so none of exactly
    `maxlen` indices survives.
    """
    kept = [(sequence, label) for sequence, label in zip(sequences, labels, strict=True)
            if len(sequence) < maxlen]
    return [sequence for sequence, _ in kept], [label for _, label in kept]


def limit_vocabulary(sequences, num_words, skip_top, oov_char):
    """Keep the indices `skip_top <= index < num_words`; replace the rest with `oov_char`.

    With `oov_char=None` the other indices are dropped instead. `num_words=None`
    means "up to the largest index", and, exactly as in Keras, that largest index
    itself then counts as out of the vocabulary. The rule applies to every index,
    markers included, so `skip_top=2` also replaces `start_char=1`.
    """
    if not num_words:
        num_words = max(max(sequence) for sequence in sequences)
    if oov_char is None:
        return [[index for index in sequence if skip_top <= index < num_words]
                for sequence in sequences]
    return [[index if skip_top <= index < num_words else oov_char for index in sequence]
            for sequence in sequences]
