"""nbgrader_config.py's autograding settings: each one is honoured, or refused up front.

`course autograde` runs nbgrader's own preprocessors with the course's configuration, so
whatever configures them is honoured as nbgrader honours it (`ClearOutput`, the
notification of `OverwriteCells`, `IgnorePattern`, `LimitOutput`, the late penalty plugin).
The settings that steer what nbgrader's converter and its `Execute` step do are read here:

    c.Execute.timeout = 5             a cell's time limit (None or -1: none but the notebook's);
                                      `course autograde --timeout` wins over it
    c.Execute.error_on_timeout        the error added to a cell interrupted at that limit
    c.Autograde.exclude_overwriting = {"ps1": ["helper.py"]}   the student's copy is kept
    c.Autograde.force = True          as `course autograde --force`
    c.CourseDirectory.ignore          files neither given to the sandbox nor brought back
    c.CourseDirectory.student_id_exclude = "alice,bob"   not graded

and `course collect` reads what nbgrader's exchange applies when it collects: `include`,
`ignore`, `max_file_size` and `max_dir_size` of c.CourseDirectory (`collect_limits`).

Every other setting of the classes that take part in autograding, set to anything but
nbgrader's default, stops `course autograde` before it grades anything, with a message that
names it (`check_settings`): grading as if it were not there would give other grades than
nbgrader does. Settings are found as traitlets finds them, on the class or on any class it
derives from (`c.ExecutePreprocessor.timeout` configures nbgrader's `Execute` too).

    check_settings(course)           # CourseError: "... c.Execute.interrupt_on_timeout = False"
    cell_timeout(course, 60, 600)    # 5 with c.Execute.timeout = 5; 60 when it is not set
"""

import fnmatch
from pathlib import PurePath

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from ..course import CONFIG_FILE, CourseError

CHECKED = [Autograde, Execute, ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
           CheckCellMetadata, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
           SaveAutoGrades, AssignLatePenalties, LateSubmissionPlugin, CourseDirectory]

# Applied, by `course` or by the nbgrader code it runs with the course's configuration.
HONOURED = {
    "Autograde": {"exclude_overwriting", "force"},
    "Execute": {"timeout", "error_on_timeout"},
    "ClearOutput": {"enabled", "remove_metadata_fields"},
    "DeduplicateIds": {"enabled"},
    "OverwriteKernelspec": {"enabled"},
    "OverwriteCells": {"enabled", "missing_cell_notification"},
    "CheckCellMetadata": {"enabled"},
    "IgnorePattern": {"enabled", "pattern"},
    "LimitOutput": {"enabled", "max_lines", "max_traceback"},
    "AssignLatePenalties": {"plugin_class"},
    "LateSubmissionPlugin": {"penalty_method"},
    "CourseDirectory": {"course_id", "ignore", "include", "max_file_size", "max_dir_size",
                        "student_id_exclude"},
}

# Change nothing about autograding, under nbgrader either, or are `course`'s own rule.
WITHOUT_EFFECT = {
    "Execute": {
        "execute_retries",  # declared by nbgrader 0.9, used nowhere
        "allow_error_names",  # matters only when errors stop a notebook: never in autograde
    },
    "OverwriteCells": {"add_missing_cells"},  # course always puts deleted cells back
    # the assignment is named on the command line; other steps' folders
    "CourseDirectory": {"assignment_id", "solution_directory", "source_with_tests_directory"},
}


def check_settings(course):
    """Raise CourseError naming every autograding setting `course autograde` cannot honour."""
    refused = []
    for cls in CHECKED:
        for name, trait in sorted(cls.class_traits(config=True).items()):
            found = configured(course.config, cls, name)
            if found is None or _accepted(course, cls.__name__, name, found[1], trait):
                continue
            section, value = found
            refused.append(f"c.{section}.{name} = {value!r} (nbgrader's default: "
                           f"{trait.default()!r})")
    if refused:
        raise CourseError(
            f"{CONFIG_FILE} has settings that `course autograde` cannot honour, so it would not "
            "grade as nbgrader does; remove them (see course/README.md, \"nbgrader_config.py\"):"
            "\n  " + "\n  ".join(refused))


def _accepted(course, section, name, value, trait):
    if name in HONOURED.get(section, ()) or name in WITHOUT_EFFECT.get(section, ()):
        return True
    if section == "CourseDirectory" and name == "root":
        return not value or PurePath(value) == course.root
    return value == trait.default()


def configured(config, cls, name):
    """(section, value) of setting `name` of `cls` in `config`, as traitlets resolves it (a
    subclass's section wins over its parents'); None when it is not set."""
    found = None
    for klass in reversed(cls.mro()):
        section = klass.__name__
        if section in config and name in config[section]:
            found = (section, config[section][name])
    return found


def cell_timeout(course, default, notebook_timeout):
    """Seconds a cell may run: c.Execute.timeout if set (None, 0 or less: no limit but the
    notebook's, `notebook_timeout`), else `default`."""
    found = configured(course.config, Execute, "timeout")
    if found is None:
        return default
    seconds = found[1]
    return notebook_timeout if seconds is None or seconds <= 0 else float(seconds)


def timeout_error(course):
    """c.Execute.error_on_timeout: the error output (ename, evalue, traceback) that nbgrader
    adds to a cell it interrupted at the time limit, after the cell's own outputs; None for
    none."""
    return _setting(course, Execute, "error_on_timeout")


def _setting(course, cls, name):
    found = configured(course.config, cls, name)
    return cls.class_traits()[name].default() if found is None else found[1]


def force(course):
    """c.Autograde.force: grade again what was graded."""
    return bool(_setting(course, Autograde, "force"))


def kept_student_files(course, assignment):
    """c.Autograde.exclude_overwriting[assignment]: the assignment's files whose student
    version is kept, as relative paths."""
    return {PurePath(name).as_posix()
            for name in _setting(course, Autograde, "exclude_overwriting").get(assignment, [])}


def excluded_students(course):
    """c.CourseDirectory.student_id_exclude: the students nbgrader does not grade."""
    text = _setting(course, CourseDirectory, "student_id_exclude")
    return {student.strip() for student in text.split(",") if student.strip()}


def is_ignored(course, relative):
    """Whether a file (a path relative to its assignment folder) matches
    c.CourseDirectory.ignore, by its own name or the name of a folder it is in."""
    patterns = _setting(course, CourseDirectory, "ignore")
    return any(fnmatch.fnmatch(part, pattern)
               for part in PurePath(relative).parts for pattern in patterns)


def collect_limits(course):
    """What nbgrader's exchange lets through when collecting, from c.CourseDirectory:
    (include globs, ignore globs, largest file in bytes, largest submission in bytes)."""
    return (_setting(course, CourseDirectory, "include"),
            _setting(course, CourseDirectory, "ignore"),
            1000 * _setting(course, CourseDirectory, "max_file_size"),
            1000 * _setting(course, CourseDirectory, "max_dir_size"))
