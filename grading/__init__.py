"""The `course` command: grade nbgrader assignments in parallel, each submission sandboxed.

The course directory stays a plain nbgrader course (same layout, cell metadata, checksums and
sqlite gradebook), so `nbgrader` and formgrader keep working on it. See `grading.cli` for the
verbs and `grading.pipeline` for how one submission is graded.
"""

from .lean_imports import skip_unused_imports

skip_unused_imports()
