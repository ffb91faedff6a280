"""An nbgrader course directory, as `course` sees it.

The layout is nbgrader's: `nbgrader_config.py`, `source/`, `release/`, `submitted/`,
`autograded/`, `feedback/` and `gradebook.db`. `course` adds only `.course/`, where it keeps
its progress (see `grading.pipeline.ledger`).
"""

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


class CourseError(RuntimeError):
    """A problem the instructor must fix; the message says what to do."""


class Course:
    def __init__(self, root):
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_FILE).is_file():
            raise CourseError(f"{self.root} is not a course directory (no {CONFIG_FILE})")
        self.config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        self.course_id = self.config.get("CourseDirectory", {}).get("course_id", "")
        # nbgrader runs `alembic` from PATH when it creates or upgrades a gradebook.
        os.environ["PATH"] = _with_venv_bin(os.environ.get("PATH", ""))

    @property
    def db_url(self):
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def source_dir(self, assignment):
        return self.root / "source" / assignment

    def release_dir(self, assignment):
        return self.root / "release" / assignment

    def submitted_dir(self, assignment, student=None):
        base = self.root / "submitted"
        return base if student is None else base / student / assignment

    def autograded_dir(self, assignment, student):
        return self.root / "autograded" / student / assignment

    def feedback_dir(self, assignment, student):
        return self.root / "feedback" / student / assignment

    def state_dir(self, assignment):
        return self.root / ".course" / "autograde" / assignment

    def gradebook(self):
        """nbgrader's gradebook; use as a context manager so it is closed."""
        return Gradebook(self.db_url, self.course_id)

    def notebook_names(self, assignment):
        """The assignment's notebooks, as recorded by `course generate`."""
        with self.gradebook() as gb:
            try:
                return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
            except MissingEntry:
                raise CourseError(
                    f"assignment '{assignment}' is not in the gradebook: "
                    f"run `course generate {assignment}` first"
                ) from None

    def nbgrader(self, *args):
        """Run an `nbgrader` command in the course directory; raise CourseError if it fails."""
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CourseError(f"`nbgrader {' '.join(args)}` failed:\n{result.stderr.strip()}")
        return result.stderr + result.stdout


def find_course(path=None):
    """The course at `path`, else ./course, else the current directory."""
    if path is not None:
        return Course(path)
    if (Path("course") / CONFIG_FILE).is_file():
        return Course("course")
    return Course(".")


def _with_venv_bin(path):
    venv_bin = os.path.join(sys.prefix, "bin")
    return path if venv_bin in path.split(os.pathsep) else venv_bin + os.pathsep + path
