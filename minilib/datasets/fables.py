"""Fables: about 30 KB of short animal fables, for character-level language models.

The fables are written by a small story grammar with a fixed seed (so they are
free to use and the same everywhere). The text has a title, a plot and a
moral per fable, capital letters, punctuation and quoted speech, so a
character-level RNN first learns spelling, then words, then sentence shapes.
"""

import random

NUM_FABLES = 90
SEED = 11

ANIMALS = ["fox", "crow", "hare", "tortoise", "lion", "mouse", "ant", "grasshopper", "wolf",
           "lamb", "owl", "frog", "goat", "dog", "bear", "bee", "dove", "crab"]
TRAITS = ["clever", "proud", "hungry", "lazy", "kind", "foolish", "old", "young", "quick",
          "patient", "greedy", "brave", "tiny", "wise", "vain", "honest"]
PLACES = ["by the river", "in the forest", "on the hill", "near the farm",
          "under an old oak", "in the meadow", "at the edge of the pond"]
TIMES = ["sunny day", "cold morning", "windy evening", "quiet night", "summer afternoon"]
FOODS = ["a piece of cheese", "a bunch of grapes", "some honey", "a ripe pear", "a fat worm",
         "a bone", "some corn"]
SPEECH = ["Why do you work so hard?", "I am faster than you!", "Please help me.",
          "You are the finest bird in the wood.", "Let us be friends.",
          "I will share my food with you.", "Do not trust everyone you meet."]
MORALS = ["Slow and steady wins the race.", "A friend in need is a friend indeed.",
          "Pride comes before a fall.", "Look before you leap.",
          "Little friends may prove great friends.", "Kindness is never wasted.",
          "It is wise to prepare today for tomorrow.", "Flatterers live on those who listen.",
          "Greed often loses what it has."]
EVENTS = [
    'The {b} said, "{speech}"',
    "The {a} wanted {food}, but the {b} would not give it away.",
    "The {a} laughed and went on its way.",
    "Then the {b} ran to the river and hid behind a stone.",
    "The {a} waited all day and all night.",
    "When winter came, the {a} had nothing to eat.",
    "The {b} helped the {a} across the water.",
    "The {a} boasted to every animal {place}.",
    "At last the {b} found {food} and carried it home.",
    "The {a} fell asleep in the shade, and the {b} walked past.",
]


def _with_article(word):
    return f"an {word}" if word[0] in "aeiou" or word == "honest" else f"a {word}"


def _fable(rng):
    a, b = rng.sample(ANIMALS, 2)
    trait_a, trait_b = rng.sample(TRAITS, 2)
    fill = {"a": a, "b": b, "food": rng.choice(FOODS), "speech": rng.choice(SPEECH),
            "place": rng.choice(PLACES)}
    events = " ".join(event.format(**fill) for event in rng.sample(EVENTS, rng.randint(2, 4)))
    return (f"The {trait_a.title()} {a.title()} and the {b.title()}\n\n"
            f"Once upon a time, {_with_article(trait_a)} {a} lived {fill['place']}. "
            f"One {rng.choice(TIMES)}, the {a} met {_with_article(trait_b)} {b}. {events}\n"
            f"Moral: {rng.choice(MORALS)}\n")


def load_data():
    """All the fables as one string (about 30,000 characters), separated by blank lines.

    Example:

    >>> text = minilib.datasets.fables.load_data()
    >>> print(text[:78])
    The Vain Bear and the Crab
    <BLANKLINE>
    Once upon a time, a vain bear lived in the forest.
    >>> chars = sorted(set(text))                      # the vocabulary, about 50 characters
    >>> char_to_index = {c: i for i, c in enumerate(chars)}
    """
    rng = random.Random(SEED)
    return "\n".join(_fable(rng) for _ in range(NUM_FABLES))
