"""Reviews: a tiny IMDB, short movie reviews labelled positive (1) or negative (0).

The reviews are written by a small template grammar with a fixed seed, so they
need no download and are the same everywhere. Most words give the sentiment
away, but not all: "the plot was not good" is negative and "the acting was
weak but the music was wonderful" ends positive, so word order matters and a
recurrent network can beat a bag of words.

As with `keras.datasets.imdb`, each review is a list of word indices. Index 1
marks the start, 2 an unknown word (out of vocabulary), and word `w` is
`get_word_index()[w] + 3`, the most frequent word being 1 (so index 4).
"""

import random
from collections import Counter

import numpy as np

NUM_TRAIN, NUM_TEST = 1500, 500
SEED = 7

SUBJECTS = ["the movie", "this film", "the plot", "the acting", "the music", "the ending",
            "the story", "the cast", "the script", "the dialogue", "the camera work",
            "the soundtrack", "the lead actor", "the first half", "the villain"]
GOOD = ["good", "great", "wonderful", "brilliant", "moving", "charming", "funny", "beautiful",
        "clever", "delightful", "superb", "gripping", "touching", "excellent", "fresh"]
BAD = ["bad", "boring", "awful", "dull", "terrible", "weak", "silly", "predictable",
       "confusing", "clumsy", "tedious", "painful", "lazy", "forgettable", "flat"]
LOVED = ["i loved", "we enjoyed", "my kids adored", "everyone will enjoy", "i really liked"]
HATED = ["i hated", "we regretted", "my kids disliked", "nobody will enjoy", "i could not stand"]
VERDICT_GOOD = ["i would watch it again", "a must see", "worth every minute",
                "highly recommended", "the best film this year"]
VERDICT_BAD = ["i would not watch it again", "a waste of time", "not worth the ticket",
               "avoid this one", "the worst film this year"]
NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
INTENSIFIERS = ["", "", "really ", "truly ", "very ", "quite ", "so "]
NEUTRAL = ["i saw it on a sunday", "it runs for two hours", "i went with my sister",
           "we watched it at home", "it is based on a book", "the cinema was full"]


def _sentence(rng, positive):
    """One sentence whose meaning is positive or negative."""
    same, other = (GOOD, BAD) if positive else (BAD, GOOD)
    subject, subject2 = rng.sample(SUBJECTS, 2)
    form = rng.randrange(6)
    if form == 0:
        return f"{subject} was {rng.choice(INTENSIFIERS)}{rng.choice(same)}"
    if form == 1:  # negation flips the adjective
        return f"{subject} was not {rng.choice(INTENSIFIERS)}{rng.choice(other)}"
    if form == 2:  # a contrast: the clause after "but" decides
        return f"{subject} was {rng.choice(other)} but {subject2} was {rng.choice(same)}"
    if form == 3:
        return f"{rng.choice(LOVED if positive else HATED)} {subject}"
    if form == 4:
        return rng.choice(VERDICT_GOOD if positive else VERDICT_BAD)
    score = rng.randint(7, 10) if positive else rng.randint(1, 4)
    return f"{NUMBERS[score - 1]} out of ten"


def _review(rng, positive):
    sentences = [_sentence(rng, positive) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.4:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(NEUTRAL))
    return " ".join(sentences)


def load_texts():
    """The reviews as plain strings: `(texts_train, y_train), (texts_test, y_test)`.

    Texts are lists of lowercase strings without punctuation; labels are int64 0/1 arrays.
    """
    rng = random.Random(SEED)
    labels = [rng.random() < 0.5 for _ in range(NUM_TRAIN + NUM_TEST)]
    texts = [_review(rng, positive) for positive in labels]
    y = np.array(labels, dtype="int64")
    return (texts[:NUM_TRAIN], y[:NUM_TRAIN]), (texts[NUM_TRAIN:], y[NUM_TRAIN:])


def get_word_index():
    """A dict from each word to its rank by frequency in all reviews (1 = most frequent).

    Example:

    >>> word_index = minilib.datasets.reviews.get_word_index()
    >>> word_index["the"], word_index["was"], len(word_index)
    (1, 2, 121)
    """
    (train, _), (test, _) = load_texts()
    counts = Counter(word for text in train + test for word in text.split())
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    return {word: rank for rank, word in enumerate(ranked, start=1)}


def load_data(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3):
    """The reviews as lists of word indices, like `keras.datasets.imdb.load_data`.

    Args:
        num_words: keep only indices below `num_words` (the most frequent words);
            others become `oov_char`. None keeps all.
        skip_top: indices below `skip_top` also become `oov_char` (drops the commonest words).
        maxlen: drop reviews with more than `maxlen` indices (the start mark included).
        seed: seed of the shuffle of the training and the test reviews.
        start_char: index put at the start of every review (None for no start mark).
        oov_char: index for the words left out (None drops them instead).
        index_from: added to every word rank, leaving room for the marks.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x arrays of dtype object holding lists
        of ints (reviews have different lengths; see `minilib.utils.pad_sequences`),
        y int64 arrays of 0 (negative) and 1 (positive). 1,500 training reviews, 500 test.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.reviews.load_data()
    >>> len(x_train), len(x_test), y_train[:4]
    (1500, 500, array([0, 1, 1, 1]))
    >>> words = {i + 3: w for w, i in minilib.datasets.reviews.get_word_index().items()}
    >>> " ".join(words.get(i, "?") for i in x_train[0][1:])
    'the cast was not superb i could not stand the villain'
    """
    word_index = get_word_index()
    rng = np.random.RandomState(seed)
    splits = []
    for texts, labels in load_texts():
        order = np.arange(len(texts))
        rng.shuffle(order)
        start = [] if start_char is None else [start_char]
        sequences = [start + [word_index[w] + index_from for w in texts[i].split()]
                     for i in order]
        splits.append((sequences, labels[order]))
    if maxlen:
        splits = [([s for s in seqs if len(s) <= maxlen], labels[[len(s) <= maxlen for s in seqs]])
                  for seqs, labels in splits]
    limit = num_words or max(max(s) for seqs, _ in splits for s in seqs) + 1
    result = []
    for sequences, labels in splits:
        if oov_char is None:
            sequences = [[w for w in s if skip_top <= w < limit] for s in sequences]
        else:
            sequences = [[w if skip_top <= w < limit else oov_char for w in s] for s in sequences]
        x = np.empty(len(sequences), dtype="object")
        x[:] = sequences
        result.append((x, labels))
    return tuple(result)
