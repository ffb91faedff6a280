"""Step 1: find the submissions to grade, in nbgrader's `submitted/<student>/<assignment>/`.

Each submission gets a fingerprint of its files, so a resubmission (different files) is graded
again while an unchanged, already graded one is not. A submission without any notebook is
skipped, as nbgrader skips it ("No notebooks were matched"): nothing of it is recorded.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..course import CourseError

TIMESTAMP_FILE = "timestamp.txt"


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    directory: Path
    fingerprint: str

    def timestamp(self):
        """nbgrader's submission time (the text of timestamp.txt), or None."""
        path = self.directory / TIMESTAMP_FILE
        return path.read_text().strip() if path.is_file() else None

    def has_notebooks(self):
        """Whether there is anything to grade: a notebook anywhere in the submission."""
        return bool(submitted_notebooks(self.directory))

    def files(self):
        """Submitted files other than notebooks, relative to the submission directory."""
        return [
            p.relative_to(self.directory)
            for p in sorted(self.directory.rglob("*"))
            if p.is_file() and p.suffix != ".ipynb" and p.name != TIMESTAMP_FILE
        ]


def submitted_notebooks(directory):
    """Every notebook in a submission folder, at any depth, checkpoints aside."""
    return sorted(path for path in Path(directory).rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in path.parts)


def find_submissions(course, assignment, students=None):
    """Every submission of `assignment`, or only those of `students`, sorted by student."""
    base = course.submitted_dir(assignment)
    found = sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            raise CourseError(
                f"no submission of {assignment} for: {', '.join(missing)} "
                f"(looked in {base}/<student>/{assignment})"
            )
        found = [s for s in found if s in students]
    return [submission(course, assignment, student) for student in found]


def submission(course, assignment, student):
    directory = course.submitted_dir(assignment, student)
    return Submission(student, assignment, directory, fingerprint(directory))


def fingerprint(directory):
    """A hash of every file's path and content under `directory`."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(directory)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
