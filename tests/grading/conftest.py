"""Fixtures for the grading tests: fresh course directories with ps0_numpy generated."""

import pytest
from grading_samples import ASSIGNMENT, new_course, read_release
from grading_testkit import course_cli
from nbgrader_parity import grade_twins


@pytest.fixture(scope="module")
def generated_course(tmp_path_factory):
    """A course directory with ps0_numpy generated (student version and gradebook)."""
    root = new_course(tmp_path_factory.mktemp("course") / "course")
    assert course_cli(root, "generate", ASSIGNMENT) == 0
    return root


@pytest.fixture(scope="module")
def release_nb(generated_course):
    return read_release(generated_course)


@pytest.fixture(scope="session")
def twins(tmp_path_factory):
    """The parity class graded by real nbgrader and by `course` (`nbgrader_parity`)."""
    return grade_twins(tmp_path_factory.mktemp("parity"))
