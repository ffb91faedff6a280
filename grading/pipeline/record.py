"""Step 6: the single writer. Scores go to nbgrader's gradebook, notebooks to `autograded/`.

Only the `course autograde` process itself calls this (workers only execute), so sqlite never
sees two writers. The submission's autograded folder is built aside; all of its scores are
committed in one transaction; then the folder takes the place of the old one, then the
ledger's recorded.json is written, then the journal.
Re-recording a submission sets the same values again: nothing is ever counted twice.

What is written mirrors nbgrader's autograde: the student and submission (with its timestamp)
are created if needed. In each graded notebook, each test's and answer's auto_score is set
and `needs_manual_grade` raised when there is no automatic score (a written answer) or a
grader had already scored it by hand; task cells are left to graders (unscored, flagged);
then the late penalty is assigned (`late`). A notebook missing from a submission that has
others scores 0 everywhere; an unreadable one (or all of them missing) leaves its grades as
they were, as nbgrader's failed autograde does (for a new submission: unscored, flagged). When
no notebook of a submission could be graded, its autograded folder is removed, as nbgrader
removes a failed submission's.
"""

import shutil

import nbformat
from nbformat.v4 import new_markdown_cell

from .. import atomic
from .check import has_cell_ids
from .collect import TIMESTAMP_FILE
from .late import assign_late_penalty, late_penalty_rule
from .ledger import append_journal
from .score import score_notebook
from .settings import is_ignored
from .written_files import WRITTEN_DIR

TIMED_OUT = "timed out after"  # how execute reports a cell it interrupted


def record_submission(course, submission, ledger, prepared, outcome):
    """Record one submission's results; return its summary (also saved as recorded.json)."""
    report = Report(prepared, outcome)
    scores = {}
    autograded = course.autograded_dir(submission.assignment, submission.student)
    building = autograded.parent / f".{submission.assignment}.recording"
    shutil.rmtree(building, ignore_errors=True)
    for name in prepared["runnable"]:
        nb = _read_executed(ledger, name)
        scores[name] = score_notebook(nb, course.config)
        report.add_notes(name, scores[name].notes)
        _add_notes_cell(nb, report.for_notebook(name))
        atomic.write_notebook(building / f"{name}.ipynb", nb)
    if scores:
        _copy_files(course, submission, ledger, building)
    points = _write_gradebook(course, submission, scores, prepared.get("missing", {}))
    if scores:
        _replace_folder(building, autograded)
    else:  # nothing could be graded: nbgrader removes a failed submission's folder
        shutil.rmtree(autograded, ignore_errors=True)
    result = report.summary(submission, points)
    ledger.save_recorded(result)
    append_journal(course, submission.assignment, {
        "student": submission.student, "fingerprint": submission.fingerprint,
        "status": result["status"], "score": result["score"],
    })
    ledger.clear_work()
    return result


def _read_executed(ledger, name):
    return nbformat.read(ledger.executed_dir / f"{name}.ipynb", as_version=4)


def _write_gradebook(course, submission, scores, missing):
    """Set the grades, comments and late penalties of the submission's graded (`scores`) and
    `missing` notebooks in one commit; return the points and the late penalty."""
    assignment, student = submission.assignment, submission.student
    late_rule = late_penalty_rule(course)
    points = {}
    with course.gradebook() as gb:
        gb.update_or_create_student(student)
        timestamp = submission.timestamp()
        extra = {"timestamp": timestamp} if timestamp else {}
        graded = gb.update_or_create_submission(assignment, student, **extra)
        notebooks = {name: gb.find_submission_notebook(name, assignment, student)
                     for name in [*scores, *missing]}
        for name, score in scores.items():
            _save_auto_grades(notebooks[name], score)
        for name in missing:
            for grade in notebooks[name].grades:
                grade.auto_score, grade.needs_manual_grade = 0.0, False
        gb.db.flush()
        for name in scores:
            gb.db.expire(notebooks[name])  # its score, computed by the database, has changed
            assign_late_penalty(late_rule, graded, notebooks[name])
        gb.db.commit()
        for name, notebook in notebooks.items():
            for grade in notebook.grades:
                points[f"{name}:{grade.name}"] = grade.score
        points["score"], points["max_score"] = graded.score, graded.max_score
        points["late_submission_penalty"] = graded.late_submission_penalty
    return points


def _save_auto_grades(notebook, score):
    """nbgrader's SaveAutoGrades: the scores of the notebook's test and answer cells and the
    comments of its answer and task cells; a grade without an automatic score, or scored by
    a grader before, needs grading by hand."""
    for grade in notebook.grades:
        if grade.name in score.grades:
            grade.auto_score = score.grades[grade.name]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
    for comment in notebook.comments:
        if comment.name in score.comments:
            comment.auto_comment = score.comments[comment.name]


def _copy_files(course, submission, ledger, target):
    """Put next to the autograded notebooks what nbgrader's autograde leaves there: the files
    the sandbox was given (the submission's own and the released ones), the timestamp, and
    the files the notebooks wrote while graded (`written_files`), ignored ones aside."""
    target.mkdir(parents=True, exist_ok=True)
    if ledger.files_dir.is_dir():
        shutil.copytree(ledger.files_dir, target, dirs_exist_ok=True)
    written = ledger.executed_dir / WRITTEN_DIR
    for path in sorted(written.rglob("*")):
        relative = path.relative_to(written)
        if (path.is_file() and not path.is_symlink() and not is_ignored(course, relative)
                and relative.as_posix() != TIMESTAMP_FILE):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    timestamp = submission.directory / TIMESTAMP_FILE
    if timestamp.is_file():
        shutil.copyfile(timestamp, target / TIMESTAMP_FILE)


def _replace_folder(new, target):
    """Put folder `new` in the place of `target`, in two renames: a reader sees the old folder
    or the new one, apart from the instant between them (a resumed run records again)."""
    retired = target.parent / f".{target.name}.replaced"
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        target.rename(retired)
    new.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def _add_notes_cell(nb, notes):
    """Tell student and grader, at the top of the notebook, what the grader did or saw."""
    if notes:
        lines = ["**Autograder notes**", ""] + [f"- {label}: {text}" for label, text in notes]
        cell = new_markdown_cell("\n".join(lines), metadata={"tags": ["grader-notes"]})
        if not has_cell_ids(nb):  # a notebook of nbformat 4.4 or older
            del cell["id"]
        nb.cells.insert(0, cell)


class Report:
    """Collects what happened to a submission, notebook by notebook, for people to read."""

    def __init__(self, prepared, outcome):
        self.failures = [f"{n}.ipynb {why}" for n, why in prepared["unreadable"].items()]
        self.missing = [f"{n}.ipynb {why}: 0 points" for n, why in
                        prepared.get("missing", {}).items()]
        self.tampered = []
        self.notes = {name: list(notes) for name, notes in prepared.get("notes", {}).items()}
        for name, found in prepared["tampering"].items():
            self.tampered += [f"{name}.ipynb {label}: {what}" for label, what in found]
            self.notes.setdefault(name, []).extend(found)
        self.alerts = []  # one line each: the cells an instructor should look at
        self.seconds = 0.0
        for run in outcome["notebooks"]:
            name = run["notebook"]
            self.seconds += run["seconds"]
            self.notes.setdefault(name, []).extend(run["problems"] + run["tampering"])
            self.alerts += [f"{name}.ipynb {label}: {text}" for label, text in run["problems"]
                            if text.startswith(TIMED_OUT)]
            self.tampered += [f"{name}.ipynb {label}: {what}" for label, what in run["tampering"]]
            if run["failure"]:
                self.failures.append(f"{name}.ipynb: {run['failure']}")
                self.notes[name].append(["notebook", run["failure"]])

    def add_notes(self, name, notes):
        """The notable errors scoring found (syntax errors, memory): notes and alerts."""
        self.notes.setdefault(name, []).extend(notes)
        self.alerts += [f"{name}.ipynb {label}: {text}" for label, text in notes]

    def for_notebook(self, name):
        return self.notes.get(name, [])

    def summary(self, submission, points):
        score, max_score = points.pop("score"), points.pop("max_score")
        penalty = points.pop("late_submission_penalty")
        notes = [f"{n}.ipynb {label}: {text}" for n, found in self.notes.items()
                 for label, text in found]
        return {
            "student": submission.student,
            "assignment": submission.assignment,
            "fingerprint": submission.fingerprint,
            "status": "failed" if self.failures else "graded",
            "score": score,
            "max_score": max_score,
            "late_submission_penalty": penalty,
            "failures": self.failures,
            "missing": self.missing,
            "tampered": self.tampered,
            "notes": notes,
            "alerts": self.alerts,
            "points": points,
            "seconds": round(self.seconds, 2),
        }
