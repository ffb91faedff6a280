"""Where each submission's grading stands, on disk, so a killed run resumes without loss.

`.course/autograde/<assignment>/<student>/` holds, each file written atomically:

    prepared/    sanitized notebooks, the files to copy into the sandbox, prepared.json
    executed/    executed notebooks, kernel logs, outcome.json (written last)
    recorded.json  written once the gradebook and autograded/ are updated: the result
    error.json     the last grader error (not the student's fault): retried next run

A submission is done when recorded.json exists for its current fingerprint. If executed/
outcome.json exists, a resumed run records it without executing again. `journal.jsonl`, one
line per recorded submission, is the audit trail: each line is written after its gradebook
commit.
"""

import json
import os
import shutil
from datetime import UTC, datetime

from .. import atomic


class Ledger:
    """The progress of one student's submission of one assignment."""

    def __init__(self, course, assignment, student):
        self.root = course.state_dir(assignment) / student
        self.prepared_dir = self.root / "prepared"
        self.files_dir = self.prepared_dir / "files"
        self.executed_dir = self.root / "executed"
        self.recorded_path = self.root / "recorded.json"
        self.error_path = self.root / "error.json"

    def recorded(self):
        return atomic.read_json(self.recorded_path)

    def is_recorded(self, fingerprint):
        recorded = self.recorded()
        return recorded is not None and recorded["fingerprint"] == fingerprint

    def prepared(self):
        return atomic.read_json(self.prepared_dir / "prepared.json")

    def save_prepared(self, prepared):
        atomic.write_json(self.prepared_dir / "prepared.json", prepared)

    def outcome(self, fingerprint):
        """The execution outcome for this fingerprint, if execution finished."""
        prepared = self.prepared()
        if prepared is None or prepared["fingerprint"] != fingerprint:
            return None
        return atomic.read_json(self.executed_dir / "outcome.json")

    def save_recorded(self, result):
        atomic.write_json(self.recorded_path, result)
        if self.error_path.exists():
            self.error_path.unlink()

    def error(self):
        return atomic.read_json(self.error_path)

    def save_error(self, fingerprint, message):
        atomic.write_json(self.error_path, {"fingerprint": fingerprint, "error": message})

    def clear_work(self):
        """Forget prepared and executed files (not the recorded result)."""
        shutil.rmtree(self.prepared_dir, ignore_errors=True)
        shutil.rmtree(self.executed_dir, ignore_errors=True)

    def forget(self):
        shutil.rmtree(self.root, ignore_errors=True)


def append_journal(course, assignment, entry):
    """Add one line to the assignment's journal and flush it to disk."""
    path = course.state_dir(assignment) / "journal.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_journal(course, assignment):
    path = course.state_dir(assignment) / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
