"""`course release`: package the student version for an LMS, after checking it leaks nothing.

nbgrader's own release goes to a JupyterHub exchange; courses on an LMS upload a zip instead.
The zip is refused if any released file still contains a solution, hidden-test or
mark-scheme region (a source cell missing its nbgrader metadata leaks this way).
"""

import zipfile

from ..course import CourseError

HELP = "zip the student version of an assignment for upload, refusing leaked solutions"
LEAK_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")


def add_parser(subparsers):
    parser = subparsers.add_parser("release", help=HELP, description=HELP)
    parser.add_argument("assignment")
    parser.add_argument("--to", help="zip file to write (default: release/ASSIGNMENT.zip)")
    parser.set_defaults(run=run)


def run(course, args):
    release = course.release_dir(args.assignment)
    if not release.is_dir():
        raise CourseError(f"{release} does not exist: run `course generate {args.assignment}`")
    files = sorted(p for p in release.rglob("*") if p.is_file())
    leaks = [f"{p.relative_to(release)}: {marker}" for p in files for marker in LEAK_MARKERS
             if marker in p.read_text(errors="replace")]
    if leaks:
        raise CourseError("the release still contains answers, not packaged:\n  " +
                          "\n  ".join(leaks))
    target = args.to or str(release.parent / f"{args.assignment}.zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, f"{args.assignment}/{path.relative_to(release)}")
    print(f"wrote {target} ({len(files)} files)")
    return 0
