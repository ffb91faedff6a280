"""The `course` command line: help, errors an instructor can act on, the unsafe fallback."""

import shutil
import subprocess
import sys

import pytest
from grading_samples import ASSIGNMENT, SOLVED, make_submission, write_submission
from grading_testkit import course_cli

from grading.cli import VERBS, main


def test_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "grading.cli", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "autograde" in out and "course export" in out


@pytest.mark.parametrize("verb", [v.__name__.rsplit(".", 1)[1] for v in VERBS])
def test_every_verb_has_help(verb, capsys):
    with pytest.raises(SystemExit) as exit:
        main([verb, "--help"])
    assert exit.value.code == 0
    assert f"usage: course {verb}" in capsys.readouterr().out


def test_not_a_course_directory(tmp_path, capsys):
    assert main(["--course", str(tmp_path), "status", "ps0"]) == 2
    assert "is not a course directory (no nbgrader_config.py)" in capsys.readouterr().err


def test_autograde_before_generate_says_what_to_run(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("")
    assert course_cli(tmp_path, "autograde", "ps9", "--unsafe-no-sandbox") == 2
    assert "run `course generate ps9` first" in capsys.readouterr().err


def without_bubblewrap(monkeypatch):
    """`shutil.which` finds no `bwrap`, and every other program as before."""
    which = shutil.which
    monkeypatch.setattr("grading.pipeline.sandbox.shutil.which",
                        lambda name, **kwargs: None if name == "bwrap" else which(name, **kwargs))


def test_refuses_to_grade_without_bubblewrap(generated_course, monkeypatch, capsys):
    without_bubblewrap(monkeypatch)
    assert course_cli(generated_course, "autograde", ASSIGNMENT) == 2
    err = capsys.readouterr().err
    assert "bubblewrap is not installed" in err and "--unsafe-no-sandbox" in err


@pytest.mark.slow
def test_unsafe_no_sandbox_still_grades(generated_course, release_nb, tmp_path, monkeypatch,
                                        capsys):
    without_bubblewrap(monkeypatch)
    monkeypatch.setattr("grading.pipeline.cgroup.ROOT", tmp_path / "no-cgroups")
    write_submission(tmp_path, "trusted", make_submission(release_nb, SOLVED))
    assert course_cli(generated_course, "collect", ASSIGNMENT, str(tmp_path)) == 0
    assert course_cli(generated_course, "autograde", ASSIGNMENT, "--unsafe-no-sandbox",
                      "--student", "trusted", "--no-progress") == 0
    out = capsys.readouterr().out
    assert "trusted  graded  7/7" in out
    assert "limits per process only: no cgroups (No such file or directory" in out
