"""A run killed with SIGKILL part-way resumes on the next `course autograde`: every student
ends up graded exactly once, with the right score."""

import signal
import subprocess
import sys
import time

import pytest
from grading_samples import ASSIGNMENT, SAMPLE_CLASS, make_submission, write_submission
from grading_testkit import course_cli, needs_sandbox, sandbox_processes

from grading.course import Course
from grading.pipeline.cgroup import SlotCgroup, group_parents
from grading.pipeline.ledger import read_journal

pytestmark = [pytest.mark.slow, needs_sandbox]

COPIES = 3  # of each sample student: 12 submissions


def test_killed_run_resumes_without_losing_or_repeating_grades(
    generated_course, release_nb, tmp_path, capsys
):
    expected = {}
    for copy in range(COPIES):
        for student, (answers, total) in SAMPLE_CLASS.items():
            write_submission(tmp_path, f"{student}{copy}", make_submission(release_nb, answers))
            expected[f"{student}{copy}"] = total
    assert course_cli(generated_course, "collect", ASSIGNMENT, str(tmp_path)) == 0
    course = Course(generated_course)

    run = subprocess.Popen(
        [sys.executable, "-m", "grading.cli", "--course", str(generated_course), "autograde",
         ASSIGNMENT, "--workers", "2", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(read_journal(course, ASSIGNMENT)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    run.send_signal(signal.SIGKILL)
    run.wait()
    graded_before = {entry["student"] for entry in read_journal(course, ASSIGNMENT)}
    assert 3 <= len(graded_before) < len(expected)
    deadline = time.monotonic() + 10  # orphaned workers stop, and their kernels with them
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sandbox_processes()

    assert course_cli(generated_course, "autograde", ASSIGNMENT, "--no-progress") == 0
    summary = capsys.readouterr().out
    parents = SlotCgroup("", group_parents()).directories()  # course-grading/, v1 or v2
    killed_runs_groups = [g for parent in parents for g in parent.glob(f"{run.pid}-*")]
    assert not killed_runs_groups  # removed by the second run
    journal = read_journal(course, ASSIGNMENT)
    assert sorted(entry["student"] for entry in journal) == sorted(expected)
    assert {entry["student"]: entry["score"] for entry in journal} == expected
    rows = {line.split()[0]: line for line in summary.splitlines()[2:-2]}
    assert {s for s, row in rows.items() if "(earlier)" in row} == graded_before
    with course.gradebook() as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions}
    assert scores == expected
