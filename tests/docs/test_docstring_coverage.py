"""scripts/docstring_coverage.py counts what `help()` shows, and the layers keep their examples."""

import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import docstring_coverage  # noqa: E402

import minilib  # noqa: E402


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


def test_every_public_layer_but_two_has_an_example_in_its_own_docstring():
    counts = docstring_coverage.coverage(docstring_coverage.public_objects(minilib.layers))
    missing = [name for name in minilib.layers.__all__
               if ">>>" not in docstring_coverage.own_docstring(getattr(minilib.layers, name))]
    assert sorted(missing) == ["deserialize", "serialize"], missing
    assert counts["with_example"] == counts["public"] - 2
