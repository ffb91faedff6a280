"""scripts/docstring_coverage.py counts what `help()` shows; every public name has an example."""

import inspect
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import docstring_coverage  # noqa: E402


def test_only_a_docstring_of_its_own_counts():
    class Base:
        """Teaches.

        >>> 1 + 1
        2
        """

    class Inherits(Base):
        pass

    def helper():
        """No example here."""

    module = types.ModuleType("fake")
    module.__all__ = ["Base", "Inherits", "helper", "alias"]
    module.Base, module.Inherits, module.helper, module.alias = Base, Inherits, helper, Base
    objects = docstring_coverage.public_objects(module)
    assert len(objects) == 3  # the alias is the same object as Base
    assert docstring_coverage.coverage(objects) == {
        "public": 3, "own_docstring": 2, "with_example": 1}


def test_every_public_class_and_function_has_an_example_in_its_own_docstring():
    missing = []
    for dotted_name, namespace in docstring_coverage.public_namespaces():
        for value in docstring_coverage.public_objects(namespace):
            if not (inspect.isclass(value) or inspect.isroutine(value)):
                continue  # data, such as losses.ALL_LOSSES, has no docstring of its own
            if ">>>" not in docstring_coverage.own_docstring(value):
                missing.append(f"{dotted_name}.{value.__name__}")
    assert missing == []
