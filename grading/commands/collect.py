"""`course collect`: bring submissions into nbgrader's submitted/<student>/<assignment>/.

SOURCE is a folder or a zip file, in either layout LMSes produce:

* a folder per student: `<student>/<files>` or `<student>/<assignment>/<files>`;
* flat files named per student, as Canvas downloads them:
  `<student>_[LATE_]<id>_<id>_<original name>` (Canvas appends `-1`, `-2` to resubmitted
  names; that is undone for the assignment's notebooks). `--pattern` takes another regular
  expression, as nbgrader's zip_collect does (`c.FileNameCollectorPlugin.named_regexp` in
  nbgrader_config.py is the default when set): groups `student` (or `student_id`) and `file`
  (or `file_id`; the file's own extension is kept), and optionally `timestamp`, the time of
  the attempt (`..._attempt_(?P<timestamp>[0-9-]+)_...`); without it, a file's time is its
  modification time in the folder or zip.

A student's files are merged, as nbgrader's zip_collect merges them: of two versions of one
file, the newer is kept. With `--update`, the files collected now are merged into the
student's earlier submission in the same way, so a student who resubmits one notebook keeps
the others (`nbgrader zip_collect --force` empties the folder first). Without it, an earlier
submission is kept as it is. A timestamp.txt (nbgrader's submission time) is written from the
newest file's time, unless the student's files include one. Files are filtered as nbgrader's
exchange filters them, by c.CourseDirectory.include, ignore, max_file_size and max_dir_size
(per student).
"""

import fnmatch
import os
import posixpath
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import parse_utc

from ..course import CourseError
from ..pipeline.collect import TIMESTAMP_FILE
from ..pipeline.settings import collect_limits, configured

HELP = "copy submissions from a folder or an LMS zip into submitted/"
CANVAS_PATTERN = r"(?P<student>[^_/]+)_(?:LATE_)?(?:\d+_)*(?P<file>[^/]+)"
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


def add_parser(subparsers):
    parser = subparsers.add_parser("collect", help=HELP, description=__doc__.split("\n\n")[1],
                                   epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("assignment")
    parser.add_argument("source", help="folder or .zip of submissions")
    parser.add_argument("--update", action="store_true",
                        help="merge into submissions already collected (newer files win)")
    parser.add_argument("--pattern", help="regex with groups 'student' and 'file' (and "
                        "'timestamp') for flat file names (default: nbgrader_config.py's "
                        "FileNameCollectorPlugin.named_regexp, else Canvas's names)")
    parser.set_defaults(run=run)


def run(course, args):
    notebooks = {p.stem for p in course.source_dir(args.assignment).glob("*.ipynb")}
    if not notebooks:
        raise CourseError(f"no notebooks in {course.source_dir(args.assignment)}")
    pattern = args.pattern or default_pattern(course)
    include, ignore, max_file, max_student = collect_limits(course)
    entries, skipped = filter_entries(read_entries(Path(args.source)), include, ignore, max_file)
    by_student, unmatched = group_by_student(entries, args.assignment, notebooks, pattern)
    skipped += unmatched
    counts = {"new": 0, "updated": 0, "unchanged": 0, "kept": 0}
    for student, files in sorted(by_student.items()):
        if sum(len(data) for data, _ in files.values()) > max_student:
            skipped.append(f"{student}: more than {max_student} bytes "
                           "(c.CourseDirectory.max_dir_size)")
            continue
        counts[store(course, args.assignment, student, files, args.update)] += 1
    print(f"{sum(counts.values())} submissions: " +
          ", ".join(f"{n} {what}" for what, n in counts.items() if n))
    if counts["kept"]:
        print("kept previous submissions (use --update to merge the new files into them)")
    for reason in skipped:
        print(f"skipped {reason}")
    return 0


def default_pattern(course):
    """nbgrader_config.py's c.FileNameCollectorPlugin.named_regexp, else Canvas's names."""
    found = configured(course.config, FileNameCollectorPlugin, "named_regexp")
    return found[1] if found and found[1] else CANVAS_PATTERN


def filter_entries(entries, include, ignore, max_file_bytes):
    """The entries nbgrader's exchange would copy: each part of the path matches no `ignore`
    glob, the file's name matches an `include` glob, it is at most `max_file_bytes`."""
    kept, skipped = [], []
    for name, data, time in entries:
        parts = PurePosixPath(name).parts
        if any(fnmatch.fnmatch(part, glob) for part in parts for glob in ignore):
            continue
        if not any(fnmatch.fnmatch(parts[-1], glob) for glob in include):
            skipped.append(f"{name}: not included (c.CourseDirectory.include)")
        elif len(data) > max_file_bytes:
            skipped.append(f"{name}: more than {max_file_bytes} bytes "
                           "(c.CourseDirectory.max_file_size)")
        else:
            kept.append((name, data, time))
    return kept, skipped


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
    """{student: {relative file name: (bytes, time)}}, and the entries skipped, with why. Of
    two versions of a student's file, the newer is kept (the later one, without times)."""
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
            try:
                student, filename, time = match_flat_name(name, pattern, notebooks, time)
            except ValueError as problem:
                skipped.append(f"{name}: {problem}")
                continue
        if not STUDENT_ID.fullmatch(student):
            skipped.append(f"{name}: '{student}' is not a usable student id")
            continue
        files = by_student.setdefault(student, {})
        if filename not in files or not is_older(time, files[filename][1]):
            files[filename] = (data, time)
    return by_student, skipped


def match_flat_name(name, pattern, notebooks, time):
    """(student, file name, time) of a flat entry, by `pattern`'s groups: the time is the
    `timestamp` group's, if the pattern has one, else `time`. ValueError says why not."""
    match = re.match(pattern, name)
    if not match:
        raise ValueError("not named <student>_..._<file>")
    groups = match.groupdict()
    student, file = groups.get("student") or groups.get("student_id"), \
        groups.get("file") or groups.get("file_id")
    if not student or not file:
        raise ValueError(f"--pattern {pattern!r} found no 'student' and 'file' in it")
    file = posixpath.splitext(file)[0] + posixpath.splitext(name)[1]  # as nbgrader names it
    if groups.get("timestamp"):
        try:
            time = parse_utc(groups["timestamp"]).replace(tzinfo=UTC)
        except (ValueError, OverflowError):
            raise ValueError(f"'{groups['timestamp']}' is not a time") from None
    return student, undo_resubmission_suffix(file, notebooks), time


def is_older(time, other):
    return time is not None and other is not None and time < other


def undo_resubmission_suffix(filename, notebooks):
    """'ps0-2.ipynb' -> 'ps0.ipynb' when ps0 is one of the assignment's notebooks."""
    match = re.fullmatch(r"(?P<stem>.+)-\d+\.ipynb", filename)
    if match and match["stem"] in notebooks:
        return f"{match['stem']}.ipynb"
    return filename


def store(course, assignment, student, files, update):
    """Write one student's files, merged into an earlier submission with `update` (the newer
    version of each file wins); return 'new', 'updated', 'unchanged' or 'kept'."""
    target = course.submitted_dir(assignment, student)
    if target.exists() and not update:
        return "kept"
    merged = earlier_files(target)
    for filename, (data, time) in files.items():
        if filename not in merged or not is_older(time, merged[filename][1]):
            merged[filename] = (data, time)
    staging = target.parent / f".{assignment}.collecting"
    shutil.rmtree(staging, ignore_errors=True)
    for filename, (data, time) in merged.items():
        write_file(staging / filename, data, time)
    if TIMESTAMP_FILE not in merged:
        times = [time for _, time in merged.values() if time is not None]
        newest = max(times, default=datetime.now(UTC))
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


def earlier_files(target):
    """{name: (bytes, time)} of a collected submission, its timestamp.txt aside (it is written
    again); a file's time is its modification time, which `store` sets to its own."""
    if not target.is_dir():
        return {}
    return {path.relative_to(target).as_posix():
            (path.read_bytes(), datetime.fromtimestamp(path.stat().st_mtime, UTC))
            for path in sorted(target.rglob("*"))
            if path.is_file() and not path.is_symlink() and path.name != TIMESTAMP_FILE}


def write_file(path, data, time):
    """Write a collected file, its modification time the time it was submitted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if time is not None:
        os.utime(path, (time.timestamp(), time.timestamp()))


def same_files(a, b):
    def contents(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return contents(a) == contents(b)
