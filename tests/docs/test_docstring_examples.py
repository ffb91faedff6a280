"""Every `>>>` example in minilib's docstrings runs, so that no example drifts from the code.

Each module's examples run as in a fresh notebook:

- The names a student has already imported are there: `minilib`, `keras` (the same module,
  as in `import minilib as keras`), `np`, `torch` and `ops` (`minilib.ops`), beside the
  module's own names.
- The session is new (`clear_session`, so the first Dense is `dense` again), the random
  seed is 0, and the device is the CPU, so printed tensors and names are the same on
  every machine.
- The working folder is an empty temporary one, holding only the small files that the
  examples read as if they were the student's own (`cat.jpg`, a `reviews/` folder).
  What the examples write lands there too.

Outputs are compared with `...` standing for any text (ELLIPSIS) and any run of spaces and
newlines counting as one space (NORMALIZE_WHITESPACE). A failing example fails its module's
test with doctest's report, which names the file, the line, what was expected and what came
out. Global settings that an example changes (device, floatx, epsilon, distribution) are
put back afterwards, so the other tests never notice.

The suite runs offline, so an example that downloads (`mnist.load_data()`) carries
`# doctest: +SKIP`; only the modules in DOWNLOADING_MODULES may skip an example.
"""

import doctest
import importlib
import io
import pathlib

import numpy as np
import pytest
import torch

import minilib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "minilib"
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# 1001 examples ran when this floor was last raised; the margin allows for merging a few
FEWEST_EXAMPLES = 950
DOWNLOADING_MODULES = {
    "minilib.datasets", "minilib.datasets._keras_files", "minilib.datasets.boston_housing",
    "minilib.datasets.california_housing", "minilib.datasets.cifar10",
    "minilib.datasets.cifar100", "minilib.datasets.fashion_mnist", "minilib.datasets.imdb",
    "minilib.datasets.mnist", "minilib.datasets.reuters", "minilib.utils.file_utils",
}


def a_photo(height, width, seed):
    """A small RGB image of random colours, as a uint8 array."""
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


# The files each module's examples read, relative to the working folder: text or an image.
STUDENT_FILES = {
    "minilib.utils.directory_index": {
        "reviews/neg/1.txt": "Dull.", "reviews/neg/2.txt": "Too long.",
        "reviews/pos/3.txt": "A delight.",
    },
    "minilib.utils.text_dataset": {
        "reviews/neg/1.txt": "Dull.", "reviews/neg/2.txt": "Too long.",
        "reviews/neg/3.txt": "I left early.", "reviews/pos/4.txt": "A delight.",
        "reviews/pos/5.txt": "Loved every minute.",
    },
    "minilib.utils.image_dataset": {
        **{f"flowers/daisy/img{n:03d}.jpg": a_photo(12, 16, seed=n) for n in range(1, 7)},
        **{f"flowers/tulip/img{n:03d}.png": a_photo(12, 16, seed=n) for n in range(101, 105)},
    },
    "minilib.utils.image_utils": {"cat.jpg": a_photo(240, 320, seed=0)},
}


def write_student_files(module_name, folder):
    """Write the files that `module_name`'s examples read into `folder`."""
    from PIL import Image

    for relative_path, content in STUDENT_FILES.get(module_name, {}).items():
        path = folder / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            Image.fromarray(content).save(path)


def modules_with_examples():
    """The dotted names of minilib's modules whose source holds a `>>>` prompt, sorted."""
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in PACKAGE.rglob("*.py")
        if ">>>" in path.read_text(encoding="utf-8")
    )


MODULES = modules_with_examples()


def names_students_have():
    """The names an example may use without importing them."""
    return {"minilib": minilib, "keras": minilib, "np": np, "torch": torch, "ops": minilib.ops}


def docstring_examples(module_name):
    """The doctests of `module_name`, one per docstring that holds examples."""
    module = importlib.import_module(module_name)
    namespace = {**names_students_have(), **vars(module)}
    tests = doctest.DocTestFinder().find(module, module_name, globs=namespace)
    return [test for test in tests if test.examples]


def is_skipped(example):
    return example.options.get(doctest.SKIP, False)


@pytest.fixture
def fresh_notebook(tmp_path, monkeypatch):
    """A new session on the CPU in an empty working folder; the global settings come back after."""
    config, distribution = minilib.config, minilib.distribution
    before = config.device(), config.floatx(), config.epsilon(), distribution.distribution()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KERAS_HOME", raising=False)  # an example shows the default cache
    config.set_device("cpu")
    minilib.utils.clear_session()
    minilib.utils.set_random_seed(0)
    yield tmp_path
    device, floatx, epsilon, data_parallel = before
    config.set_device(str(device))
    config.set_floatx(floatx)
    config.set_epsilon(epsilon)
    distribution.set_distribution(data_parallel)


@pytest.mark.parametrize("module_name", MODULES, ids=MODULES)
def test_every_example_in_the_module_runs(module_name, fresh_notebook):
    write_student_files(module_name, fresh_notebook)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report = io.StringIO()
    tests = docstring_examples(module_name)
    for test in tests:
        runner.run(test, out=report.write)
    found = sum(len(test.examples) for test in tests)
    assert found > 0, (f"{module_name} holds '>>>' but doctest found no example in it: "
                       "is the prompt outside a docstring that doctest reads?")
    assert runner.failures == 0, (f"{runner.failures} of {runner.tries} examples failed:\n"
                                  f"{report.getvalue()}")


def test_the_finder_finds_the_examples_and_skips_only_downloads():
    assert len(MODULES) > 50, f"only {len(MODULES)} modules hold '>>>': is the scan broken?"
    examples = {name: [example for test in docstring_examples(name) for example in test.examples]
                for name in MODULES}
    skipping = {name for name, found in examples.items() if any(map(is_skipped, found))}
    assert skipping <= DOWNLOADING_MODULES, (
        f"only examples that download may be skipped, but these modules skip some too: "
        f"{sorted(skipping - DOWNLOADING_MODULES)}")
    run = sum(not is_skipped(example) for found in examples.values() for example in found)
    assert run >= FEWEST_EXAMPLES, f"only {run} examples run, in {len(MODULES)} modules"
