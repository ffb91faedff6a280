"""`course generate`: nbgrader's generate_assignment (student version, gradebook entries)."""

HELP = "create the student version of an assignment in release/ (nbgrader generate_assignment)"


def add_parser(subparsers):
    parser = subparsers.add_parser("generate", help=HELP, description=HELP)
    parser.add_argument("assignment", help="folder name under source/")
    parser.add_argument("--force", action="store_true", help="overwrite an existing release")
    parser.set_defaults(run=run)


def run(course, args):
    options = ["--force"] if args.force else []
    course.nbgrader("generate_assignment", args.assignment, *options)
    print(f"generated {course.release_dir(args.assignment)}")
    return 0
