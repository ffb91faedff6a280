"""Optional packages that `course` never uses, kept out of its processes so they start fast.

jsonschema, which nbformat and nbgrader load to validate notebooks, imports `rfc3987_syntax`
whenever it is installed, only to check strings of the "iri" format. Importing it builds a
grammar: about 1.2 s of CPU, paid by the `course` process and by every worker, each time
(nbgrader's own `autograde` pays it too). Neither nbformat nor nbgrader asks jsonschema to
check formats, so validation is the same without it. `grading/__init__.py` calls
`skip_unused_imports()` before anything imports jsonschema:

    import grading, jsonschema       # jsonschema without its optional IRI check
    sys.modules["rfc3987_syntax"]    # None: `import rfc3987_syntax` raises ImportError

A process that imported such a package before `grading` keeps it.
"""

import sys

# imported by a dependency only for what grading never asks of it
UNUSED_OPTIONAL_IMPORTS = ("rfc3987_syntax",)


def skip_unused_imports():
    """Make the packages of UNUSED_OPTIONAL_IMPORTS look absent, unless already imported."""
    for name in UNUSED_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)
