"""Late submission penalties, decided by nbgrader's own plugin, as its autograde does.

nbgrader ends the grading of each notebook with `AssignLatePenalties`: when the submission's
timestamp (timestamp.txt) is past the assignment's due date in the gradebook (plus any
extension), the configured plugin gets the notebook's score and the seconds late, and the
penalty it returns, kept between 0 and that score, is stored on the notebook; otherwise the
penalty is cleared. The plugin is nbgrader_config.py's choice:

    c.LateSubmissionPlugin.penalty_method = "zero"         # late: the score is lost
    c.AssignLatePenalties.plugin_class = "late.SubMarks"   # late.py in the course directory

`record` applies it inside its gradebook transaction:

    assign_late_penalty(late_penalty_rule(course), submission, notebook)
"""

import sys
from contextlib import contextmanager

from nbgrader.preprocessors import AssignLatePenalties

from ..course import CONFIG_FILE, CourseError


def late_penalty_rule(course):
    """nbgrader's AssignLatePenalties with the course's configuration and plugin. A plugin
    module is imported from the course directory, where nbgrader finds it when run there;
    one that cannot be loaded is a CourseError."""
    with _importable(course.root):
        try:
            rule = AssignLatePenalties(config=course.config)
            rule.init_plugin()
        except Exception as error:
            raise CourseError(f"the late penalty plugin configured in {CONFIG_FILE} cannot be "
                              f"loaded: {type(error).__name__}: {error}") from None
    return rule


def assign_late_penalty(rule, submission, notebook):
    """Set and return the penalty of `notebook` (of `submission`, both gradebook objects whose
    grades are flushed), or None when it was on time or the plugin gives none."""
    notebook.late_submission_penalty = None
    seconds_late = submission.total_seconds_late
    if seconds_late > 0:
        penalty = rule.plugin_inst.late_submission_penalty(
            submission.student.id, notebook.score, seconds_late)
        if penalty is not None:
            # nbgrader's own bounds: no negative penalty, none above the notebook's score
            notebook.late_submission_penalty = rule._check_late_penalty(notebook, penalty)
    return notebook.late_submission_penalty


@contextmanager
def _importable(directory):
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path.remove(str(directory))
