"""`course collect` merges a student's files as nbgrader's zip_collect does: newest wins.

An assignment of two notebooks, a.ipynb and b.ipynb, collected from zips whose entries carry
their submission times, and from flat names with the attempt's time in them, as nbgrader's
`FileNameCollectorPlugin.named_regexp` reads them (compared with real `nbgrader zip_collect`).
"""

import shutil
import zipfile
from datetime import datetime

import pytest
from grading_testkit import course_cli
from nbgrader.utils import parse_utc
from nbgrader_parity import nbgrader

ASSIGNMENT = "hw"
ATTEMPT_PATTERN = r".*_(?P<student_id>\w+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)"


def new_course(root, *settings):
    for folder in ("source", "release"):
        (root / folder / ASSIGNMENT).mkdir(parents=True)
        for name in ("a.ipynb", "b.ipynb"):
            (root / folder / ASSIGNMENT / name).write_text("{}")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n" + "".join(f"{line}\n" for line in settings))
    return root


def lms_zip(path, entries):
    """A zip of (name, text, (y, m, d, h, min)) entries, each dated as submitted."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, text, when in entries:
            archive.writestr(zipfile.ZipInfo(name, date_time=(*when, 0)), text)
    return path


def submitted(root, student):
    folder = root / "submitted" / student / ASSIGNMENT
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def test_update_merges_a_resubmitted_notebook_into_the_submission(tmp_path, capsys):
    root = new_course(tmp_path / "course")
    first = lms_zip(tmp_path / "first.zip", [("ann_1_2_a.ipynb", "a, first", (2024, 3, 1, 9, 0)),
                                             ("ann_1_3_b.ipynb", "b, first", (2024, 3, 1, 9, 5))])
    assert course_cli(root, "collect", ASSIGNMENT, str(first)) == 0
    # later, Canvas's download holds only the notebook ann resubmitted, and an older b
    second = lms_zip(tmp_path / "second.zip", [
        ("ann_1_4_a-1.ipynb", "a, again", (2024, 3, 2, 8, 0)),
        ("ann_1_1_b.ipynb", "b, older", (2024, 2, 28, 8, 0)),
    ])
    assert course_cli(root, "collect", ASSIGNMENT, str(second), "--update") == 0
    assert "1 updated" in capsys.readouterr().out
    files = submitted(root, "ann")
    assert (files["a.ipynb"], files["b.ipynb"]) == ("a, again", "b, first")  # nothing lost
    assert parse_utc(files["timestamp.txt"]) == datetime(2024, 3, 2, 8, 0)  # the newest file


def test_collect_filters_files_by_the_course_directory_settings(tmp_path, capsys):
    root = new_course(tmp_path / "course", "c.CourseDirectory.max_file_size = 1",  # kB
                      "c.CourseDirectory.include = ['*.ipynb', '*.txt']")
    source = tmp_path / "downloads"
    for name, size in [("a.ipynb", 10), ("notes.txt", 2000), ("photo.png", 10),
                       ("__pycache__/x.pyc", 10)]:
        (source / "ann" / name).parent.mkdir(parents=True, exist_ok=True)
        (source / "ann" / name).write_text("x" * size)
    assert course_cli(root, "collect", ASSIGNMENT, str(source)) == 0
    output = capsys.readouterr().out
    assert "skipped ann/notes.txt: more than 1000 bytes (c.CourseDirectory.max_file_size)" \
        in output
    assert "skipped ann/photo.png: not included (c.CourseDirectory.include)" in output
    assert set(submitted(root, "ann")) == {"a.ipynb", "timestamp.txt"}  # __pycache__ ignored


@pytest.mark.slow  # real nbgrader starts in seconds
def test_attempt_times_in_file_names_decide_as_in_nbgrader_zip_collect(tmp_path):
    attempts = {"hw_bitdiddle_attempt_2016-01-29-15-00-00_a.ipynb": "a, first",
                "hw_bitdiddle_attempt_2016-01-30-15-00-00_a.ipynb": "a, second",
                "hw_bitdiddle_attempt_2016-01-29-16-00-00_b.ipynb": "b"}
    setting = f"c.FileNameCollectorPlugin.named_regexp = {ATTEMPT_PATTERN!r}"
    theirs = new_course(tmp_path / "nbgrader", setting,
                        "c.ZipCollectApp.collector_plugin = "
                        "'nbgrader.plugins.FileNameCollectorPlugin'")
    ours = new_course(tmp_path / "course", setting)  # course reads the same setting
    downloads = theirs / "downloaded" / ASSIGNMENT / "archive"
    downloads.mkdir(parents=True)
    for name, text in attempts.items():  # all written now: only the names tell the times
        (downloads / name).write_text(text)
    assert nbgrader(theirs, "zip_collect", ASSIGNMENT).returncode == 0
    shutil.copytree(downloads, tmp_path / "flat")
    assert course_cli(ours, "collect", ASSIGNMENT, str(tmp_path / "flat")) == 0

    our_files, their_files = submitted(ours, "bitdiddle"), submitted(theirs, "bitdiddle")
    assert (our_files["a.ipynb"], our_files["b.ipynb"]) == ("a, second", "b")
    assert {k: v for k, v in our_files.items() if k != "timestamp.txt"} == \
        {k: v for k, v in their_files.items() if k != "timestamp.txt"}
    newest = datetime(2016, 1, 30, 15, 0)  # of the names, not of the files
    assert parse_utc(our_files["timestamp.txt"]) == parse_utc(their_files["timestamp.txt"]) \
        == newest
