"""`course collect`: bring submissions into nbgrader's submitted/<student>/<assignment>/.

SOURCE is a folder or a zip file, in either layout LMSes produce:

* a folder per student: `<student>/<files>` or `<student>/<assignment>/<files>`;
* flat files named per student, as Canvas downloads them:
  `<student>_[LATE_]<id>_<id>_<original name>` (Canvas appends `-1`, `-2` to resubmitted
  names; that is undone for the assignment's notebooks). `--pattern` takes a regular
  expression with groups `student` and `file` for other naming schemes.

Each student's files replace their previous submission only with `--update`, atomically.
A timestamp.txt (nbgrader's submission time) is written from the newest file's time.
"""

import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ..course import CourseError
from ..pipeline.collect import TIMESTAMP_FILE

HELP = "copy submissions from a folder or an LMS zip into submitted/"
CANVAS_PATTERN = r"(?P<student>[^_/]+)_(?:LATE_)?(?:\d+_)*(?P<file>[^/]+)"
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")
MAX_BYTES_PER_STUDENT = 100 * 1024 * 1024
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


def add_parser(subparsers):
    parser = subparsers.add_parser("collect", help=HELP, description=__doc__.split("\n\n")[1])
    parser.add_argument("assignment")
    parser.add_argument("source", help="folder or .zip of submissions")
    parser.add_argument("--update", action="store_true",
                        help="replace submissions already collected")
    parser.add_argument("--pattern", default=CANVAS_PATTERN,
                        help="regex with groups 'student' and 'file' for flat file names")
    parser.set_defaults(run=run)


def run(course, args):
    notebooks = {p.stem for p in course.source_dir(args.assignment).glob("*.ipynb")}
    if not notebooks:
        raise CourseError(f"no notebooks in {course.source_dir(args.assignment)}")
    entries = read_entries(Path(args.source))
    by_student, skipped = group_by_student(entries, args.assignment, notebooks, args.pattern)
    counts = {"new": 0, "updated": 0, "unchanged": 0, "kept": 0}
    for student, files in sorted(by_student.items()):
        if sum(len(data) for data, _ in files.values()) > MAX_BYTES_PER_STUDENT:
            skipped.append(f"{student}: more than {MAX_BYTES_PER_STUDENT} bytes")
            continue
        counts[store(course, args.assignment, student, files, args.update)] += 1
    print(f"{sum(counts.values())} submissions: " +
          ", ".join(f"{n} {what}" for what, n in counts.items() if n))
    if counts["kept"]:
        print("kept previous submissions (use --update to replace them)")
    for reason in skipped:
        print(f"skipped {reason}")
    return 0


def read_entries(source):
    """[(relative posix path, bytes, modification time)] of every file in a folder or zip."""
    if source.is_dir():
        return [(p.relative_to(source).as_posix(), p.read_bytes(),
                 datetime.fromtimestamp(p.stat().st_mtime, UTC))
                for p in sorted(source.rglob("*")) if p.is_file()]
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            return [(info.filename, archive.read(info), datetime(*info.date_time, tzinfo=UTC))
                    for info in archive.infolist() if not info.is_dir()]
    raise CourseError(f"{source} is neither a folder nor a zip file")


def group_by_student(entries, assignment, notebooks, pattern):
    """{student: {relative file name: (bytes, time)}}, and the entries skipped, with why."""
    by_student, skipped = {}, []
    for name, data, time in entries:
        parts = PurePosixPath(name).parts
        if any(p.startswith(".") or p in ("__MACOSX", "..") for p in parts) or name.startswith("/"):
            continue
        if len(parts) > 1:
            student, rest = parts[0], parts[1:]
            if len(rest) > 1 and rest[0] == assignment:
                rest = rest[1:]
            filename = "/".join(rest)
        else:
            match = re.fullmatch(pattern, name)
            if not match:
                skipped.append(f"{name}: not named <student>_..._<file>")
                continue
            student, filename = match["student"], undo_resubmission_suffix(match["file"], notebooks)
        if not STUDENT_ID.fullmatch(student):
            skipped.append(f"{name}: '{student}' is not a usable student id")
            continue
        by_student.setdefault(student, {})[filename] = (data, time)
    return by_student, skipped


def undo_resubmission_suffix(filename, notebooks):
    """'ps0-2.ipynb' -> 'ps0.ipynb' when ps0 is one of the assignment's notebooks."""
    match = re.fullmatch(r"(?P<stem>.+)-\d+\.ipynb", filename)
    if match and match["stem"] in notebooks:
        return f"{match['stem']}.ipynb"
    return filename


def store(course, assignment, student, files, update):
    """Write one student's files; return 'new', 'updated', 'unchanged' or 'kept'."""
    target = course.submitted_dir(assignment, student)
    if target.exists() and not update:
        return "kept"
    staging = target.parent / f".{assignment}.collecting"
    shutil.rmtree(staging, ignore_errors=True)
    for filename, (data, _) in files.items():
        (staging / filename).parent.mkdir(parents=True, exist_ok=True)
        (staging / filename).write_bytes(data)
    if TIMESTAMP_FILE not in files:
        newest = max(time for _, time in files.values())
        (staging / TIMESTAMP_FILE).write_text(newest.strftime(TIMESTAMP_FORMAT))
    if target.exists() and same_files(staging, target):
        shutil.rmtree(staging)
        return "unchanged"
    status = "updated" if target.exists() else "new"
    if target.exists():
        retired = target.parent / f".{assignment}.replaced"
        shutil.rmtree(retired, ignore_errors=True)
        target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired)
    else:
        staging.rename(target)
    return status


def same_files(a, b):
    def contents(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return contents(a) == contents(b)
