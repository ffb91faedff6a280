"""nbgrader configuration of the course. `nbgrader` and `course` both read it (run them here)."""

c = get_config()  # noqa: F821 (nbgrader defines get_config)

c.CourseDirectory.course_id = "dl-course"
# A test cell writing to stderr scores 0. `course autograde` sends Python warnings to stdout;
# this drops them from stderr under plain `nbgrader autograde` too.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"Warning:"
