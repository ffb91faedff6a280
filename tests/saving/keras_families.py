"""The real-Keras half of `test_named_families.py`.

    KERAS_BACKEND=torch python keras_families.py IN.json OUT.json

IN.json holds `{"objects": [[family, name, kwargs], ...], "minilib": [dict, ...]}`: objects to
make with Keras, and minilib's `serialize` of the same objects. OUT.json gets, for each, Keras's
own `serialize` and what Keras rebuilt from minilib's dict (its class name and config).
This script never imports minilib.
"""

import json
import sys

import keras


def family_module(family):
    return keras.optimizers.schedules if family == "schedules" else getattr(keras, family)


def make(family, name, kwargs):
    found = getattr(family_module(family), name)
    return found(**kwargs) if isinstance(found, type) else found


def rebuilt(family, saved):
    found = family_module(family).deserialize(saved)
    if callable(found) and not hasattr(found, "get_config"):
        return {"class_name": "function", "config": found.__name__}
    return {"class_name": type(found).__name__, "config": found.get_config()}


def main(source, target):
    task = json.load(open(source))
    answers = []
    for (family, name, kwargs), saved in zip(task["objects"], task["minilib"], strict=True):
        mine = family_module(family).serialize(make(family, name, kwargs))
        answers.append({"serialized": mine, "rebuilt": rebuilt(family, saved)})
    json.dump(answers, open(target, "w"), default=str)


if __name__ == "__main__":
    main(*sys.argv[1:])
