"""docs/architecture.md names real files: every path in backticks exists, every package is named.

A span in backticks counts as a repository path when it has no spaces and either holds a
slash or ends in a source suffix, e.g. `minilib/trainers/trainer.py` or `README.md`. Paths
that only exist at run time are left out: those starting with `~`, `$`, `.` or `/`, URLs,
and spans holding a `<placeholder>`. A `*` is a glob that must match at least one file.
Fenced code blocks (the diagrams) are not read.
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
SOURCE_SUFFIXES = (".py", ".md", ".ipynb", ".toml", ".txt")
FENCED_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")


def mentioned_paths(markdown):
    """The repository paths that `markdown` names in backticks, outside fenced blocks."""
    prose = FENCED_BLOCK.sub("", markdown)
    paths = []
    for span in INLINE_CODE.findall(prose):
        if " " in span or "<" in span or "://" in span or span[0] in "~$./":
            continue
        if "/" in span or span.endswith(SOURCE_SUFFIXES):
            paths.append(span)
    return paths


def missing_paths(paths, root):
    """The paths that name nothing under `root` (a glob must match at least one file)."""
    return [path for path in paths
            if not (any(root.glob(path)) if "*" in path else (root / path).exists())]


def test_every_path_in_backticks_exists():
    paths = mentioned_paths(DOC.read_text(encoding="utf-8"))
    assert len(paths) > 100, f"only {len(paths)} paths found in {DOC}: is the pattern broken?"
    missing = missing_paths(paths, ROOT)
    assert not missing, (f"{DOC.relative_to(ROOT)} names paths that do not exist "
                         f"(renamed or removed? update the page): {missing}")


def test_every_package_of_minilib_and_grading_is_named():
    named = set(mentioned_paths(DOC.read_text(encoding="utf-8")))
    packages = sorted(  # a folder of Python files, with or without __init__.py
        f"{folder.relative_to(ROOT)}/"
        for top in ("minilib", "grading")
        for folder in (ROOT / top).iterdir() if folder.is_dir() and any(folder.glob("*.py")))
    assert packages, "no packages found under minilib/ and grading/"
    unnamed = [package for package in packages if package not in named]
    assert not unnamed, (f"{DOC.relative_to(ROOT)} does not describe these packages "
                         f"(add a line for each, with the file to read first): {unnamed}")


def test_the_check_sees_wrong_paths_and_leaves_runtime_paths_alone(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "real.py").write_text("")
    markdown = "\n".join([
        "Read `pkg/real.py` and `pkg/`, not `pkg/renamed.py` or `pkg/gone_*.py`.",
        "Files land in `~/.cache/x`, `$HOME/y`, `.course/z/` or `/run/lock/w`,",
        "under `submitted/<student>/`; see `https://example.com/a/b` and `keras.layers`.",
        "```",
        "`pkg/only_in_a_diagram.py`",
        "```",
    ])
    paths = mentioned_paths(markdown)
    assert paths == ["pkg/real.py", "pkg/", "pkg/renamed.py", "pkg/gone_*.py"]
    assert missing_paths(paths, tmp_path) == ["pkg/renamed.py", "pkg/gone_*.py"]
