"""nbgrader_config.py's autograding settings: honoured by `course autograde`, or refused.

No kernels here: a setting that cannot be honoured stops the run before anything is graded,
and the cell time limit is chosen from the command line and the configuration alone. That
the limit and `exclude_overwriting` act as under nbgrader is compared on real grading in
test_nbgrader_parity_files.py.
"""

import pytest
from grading_testkit import course_cli

from grading.cli import build_parser
from grading.commands.autograde import chosen_limits
from grading.commands.feedback import HIDER, exporter_preprocessors
from grading.course import Course
from grading.pipeline.settings import check_settings, excluded_students, kept_student_files


def course_with(tmp_path, *settings):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n" + "".join(f"{line}\n" for line in settings))
    return Course(tmp_path)


def autograde_limits(course, *options):
    args = build_parser().parse_args(["autograde", "ps1", *options])
    return chosen_limits(course, args)


@pytest.mark.parametrize("settings, options, seconds", [
    ((), (), 60),  # course's own default
    (("c.Execute.timeout = 5",), (), 5),
    (("c.ExecutePreprocessor.timeout = 7",), (), 7),  # as traitlets finds it for Execute
    (("c.Execute.timeout = 5",), ("--timeout", "9"), 9),  # the command line wins
    (("c.Execute.timeout = None",), ("--notebook-timeout", "300"), 300),  # no cell limit
    (("c.Execute.timeout = -1",), (), 600),
])
def test_cell_time_limit_comes_from_the_command_line_then_the_config(tmp_path, settings,
                                                                       options, seconds):
    assert autograde_limits(course_with(tmp_path, *settings), *options).cell_timeout == seconds


def test_settings_that_cannot_be_honoured_stop_the_run_naming_them(tmp_path, capsys):
    course_with(tmp_path, "c.Execute.interrupt_on_timeout = False",
                "c.Execute.extra_arguments = ['--debug']",
                "c.CourseDirectory.submitted_directory = 'handed_in'",
                "c.Execute.timeout = 5",  # honoured: not named
                "c.Execute.execute_retries = 2")  # unused by nbgrader itself: not named
    assert course_cli(tmp_path, "autograde", "ps1", "--no-progress") == 2
    error = capsys.readouterr().err
    assert "c.Execute.interrupt_on_timeout = False (nbgrader's default: True)" in error
    assert "c.Execute.extra_arguments = ['--debug']" in error
    assert "c.CourseDirectory.submitted_directory = 'handed_in'" in error
    assert "timeout = 5" not in error and "execute_retries" not in error


def test_nbgrader_defaults_and_honoured_settings_are_accepted(tmp_path):
    course = course_with(tmp_path, "c.Execute.interrupt_on_timeout = True",
                         "c.Execute.error_on_timeout = None",
                         f"c.CourseDirectory.root = {str(tmp_path)!r}",
                         "c.Autograde.exclude_overwriting = {'ps1': ['lib/helper.py']}",
                         "c.CourseDirectory.student_id_exclude = 'ann, ben'",
                         "c.LimitOutput.max_lines = 10")
    check_settings(course)  # raises nothing
    assert kept_student_files(course, "ps1") == {"lib/helper.py"}
    assert kept_student_files(course, "ps2") == set()
    assert excluded_students(course) == {"ann", "ben"}


def test_feedback_adds_the_hidden_test_filter_to_the_configured_preprocessors(tmp_path):
    course = course_with(tmp_path, "from nbconvert.preprocessors import ClearMetadataPreprocessor",
                         "c.HTMLExporter.preprocessors = [ClearMetadataPreprocessor, "
                         f"{HIDER!r}]")
    configured = "nbconvert.preprocessors.clearmetadata.ClearMetadataPreprocessor"
    assert exporter_preprocessors(course, hide=True) == [configured, HIDER]
    assert exporter_preprocessors(course, hide=False) == [configured]
