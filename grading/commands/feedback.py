"""`course feedback`: nbgrader's generate_feedback, HTML per student in feedback/.

The autograded notebooks carry an "Autograder notes" cell (tampering restored, time limits,
crashes), so the feedback shows students what happened too.

Hidden tests stay hidden. nbgrader's own feedback shows them, by design (its issue #917):
the autograded notebook holds every test's whole source, hidden tests included, and the
traceback of a failed one quotes the line that failed. `course feedback` has nbgrader run
`HideHiddenTests` as well: each hidden region becomes one line saying it is hidden, and a
test cell that had one shows its error as "AssertionError: message", without the traceback.
Students still see each test's name, points and outcome. `--show-hidden-tests` shows all.
"""

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests

from ..pipeline.settings import configured

HELP = "write HTML feedback for autograded submissions (nbgrader generate_feedback)"
HIDER = f"{__name__}.HideHiddenTests"
HIDDEN_NOTE = "hidden tests: not shown"


def add_parser(subparsers):
    parser = subparsers.add_parser("feedback", help=HELP, description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--student", help="only this student")
    parser.add_argument("--show-hidden-tests", action="store_true",
                        help="show students the source of the hidden tests (BEGIN HIDDEN "
                        "TESTS regions) and their tracebacks, as plain nbgrader does")
    parser.set_defaults(run=run)


def run(course, args):
    options = ["--force"] + (["--student", args.student] if args.student else [])
    preprocessors = exporter_preprocessors(course, hide=not args.show_hidden_tests)
    options += [f"--HTMLExporter.preprocessors={name}" for name in preprocessors]
    course.nbgrader("generate_feedback", args.assignment, *options)
    written = sorted(course.root.glob(f"feedback/*/{args.assignment}/*.html"))
    print(f"{len(written)} feedback files in {course.root / 'feedback'}")
    return 0


def exporter_preprocessors(course, hide):
    """The HTML exporter's extra preprocessors (import names): nbgrader_config.py's, with
    `HideHiddenTests` added (`hide`) or taken out."""
    found = configured(course.config, HTMLExporter, "preprocessors")
    names = [p if isinstance(p, str) else f"{p.__module__}.{p.__name__}"
             for p in (found[1] if found else [])]
    names = [name for name in names if name != HIDER]
    return names + [HIDER] if hide else names


class HideHiddenTests(Preprocessor):
    """Feedback without the hidden tests: each region between nbgrader's hidden-test
    delimiters (configurable, as for `ClearHiddenTests`) becomes one line saying so, and an
    error in a cell that had one keeps only its name and message.

        assert add(1, 1) == 2               assert add(1, 1) == 2
        ### BEGIN HIDDEN TESTS      becomes     # hidden tests: not shown
        assert add(-1, 1) == 0
        ### END HIDDEN TESTS
    """

    def preprocess_cell(self, cell, resources, index):
        delimiters = ClearHiddenTests(parent=self)
        begin, end = delimiters.begin_test_delimeter, delimiters.end_test_delimeter
        if begin not in cell.source:
            return cell, resources
        marker = "# " if cell.cell_type == "code" else ""
        lines, hiding = [], False
        for line in cell.source.splitlines():
            if not hiding and begin in line:
                indent = line[: len(line) - len(line.lstrip())]
                lines.append(f"{indent}{marker}{HIDDEN_NOTE}")
                hiding = True
            elif hiding:
                hiding = end not in line
            else:
                lines.append(line)
        cell.source = "\n".join(lines)
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
