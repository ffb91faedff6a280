"""`course feedback`: nbgrader's generate_feedback, HTML per student in feedback/.

The autograded notebooks carry an "Autograder notes" cell (tampering restored, time limits,
crashes), so the feedback shows students what happened too.
"""

HELP = "write HTML feedback for autograded submissions (nbgrader generate_feedback)"


def add_parser(subparsers):
    parser = subparsers.add_parser("feedback", help=HELP, description=HELP)
    parser.add_argument("assignment")
    parser.add_argument("--student", help="only this student")
    parser.set_defaults(run=run)


def run(course, args):
    options = ["--force"] + (["--student", args.student] if args.student else [])
    course.nbgrader("generate_feedback", args.assignment, *options)
    written = sorted(course.root.glob(f"feedback/*/{args.assignment}/*.html"))
    print(f"{len(written)} feedback files in {course.root / 'feedback'}")
    return 0
