"""`course`: nbgrader's workflow, with sandboxed, parallel, resumable autograding.

    course generate ps0        student version in release/, assignment in the gradebook
    course release ps0         zip of the student version, checked for leaked answers
    course collect ps0 SRC     submissions from a folder or LMS zip into submitted/
    course autograde ps0       grade them all (see `course autograde --help`)
    course status ps0          graded, failed, pending
    course feedback ps0        HTML feedback per student
    course export              CSV of grades

Run it in the course directory, its parent, or pass --course. Also `python -m grading.cli`.
"""

import argparse
import sys
import warnings

from sqlalchemy.exc import SAWarning

from .commands import autograde, collect, export, feedback, generate, release, status
from .course import CourseError, find_course
from .pipeline.sandbox import SandboxUnavailable

VERBS = [generate, release, collect, autograde, status, feedback, export]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="course",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--course", metavar="DIR",
                        help="the nbgrader course directory (default: ./course or .)")
    subparsers = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        verb.add_parser(subparsers)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    # nbgrader's gradebook code triggers these under SQLAlchemy 2; they are harmless.
    warnings.filterwarnings("ignore", category=SAWarning)
    try:
        return args.run(find_course(args.course), args)
    except (CourseError, SandboxUnavailable) as error:
        if isinstance(error, SandboxUnavailable):
            error = f"cannot sandbox student code: {error}. Refusing to grade; " \
                    "--unsafe-no-sandbox runs it unconfined (trusted code only)"
        print(f"course: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
