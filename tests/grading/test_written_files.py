"""Files a notebook wrote, brought back from its sandbox's outbox as untrusted data.

The outbox is built here by hand, with what student code could leave in it: links out of the
submission, a fifo, caches, a notebook, a file past the size limit; and once by a program in
a real sandbox. With kernels, and compared with nbgrader, in test_nbgrader_parity_files.py.
"""

import os
import subprocess
import sys

from grading_testkit import needs_sandbox

from grading.pipeline import written_files
from grading.pipeline.parcel import pack
from grading.pipeline.sandbox import Limits, Sandbox, Slot
from grading.pipeline.written_files import LABEL, WRITTEN_DIR, keep_written_files


def test_only_the_notebooks_own_regular_files_come_back(tmp_path):
    outbox, staged, executed = tmp_path / "outbox", tmp_path / "staged", tmp_path / "executed"
    (outbox / "plots").mkdir(parents=True)
    staged.mkdir()
    (outbox / "side-effect.txt").write_text("a side effect")
    (outbox / "plots" / "loss.png").write_bytes(b"\x89PNG")
    (outbox / "data.csv").write_text("1,2\n")  # as staged: not new
    (staged / "data.csv").write_text("1,2\n")
    (outbox / "weights.npz").write_bytes(b"w" * 900)
    (outbox / "large.bin").write_bytes(b"0" * 2000)  # past the limit, with what came before
    (outbox / ".cache").mkdir()
    (outbox / ".cache" / "fonts.json").write_text("{}")
    (outbox / "copy.ipynb").write_text("{}")
    os.symlink("/etc/passwd", outbox / "passwd")
    os.symlink("/etc", outbox / "etc")
    os.mkfifo(outbox / "pipe")

    notes = keep_written_files(str(outbox), staged, executed, limit_bytes=1000)

    kept = executed / WRITTEN_DIR
    assert sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*") if p.is_file()) == \
        ["plots/loss.png", "side-effect.txt", "weights.npz"]
    assert (kept / "side-effect.txt").read_text() == "a side effect"
    assert not any(p.is_symlink() for p in kept.rglob("*"))
    assert [LABEL, "'etc' is a symbolic link: not kept"] in notes
    assert [LABEL, "'passwd' is a symbolic link: not kept"] in notes
    assert [LABEL, "'pipe' is not a regular file: not kept"] in notes
    assert [LABEL, "'large.bin' (2000 bytes) would exceed the limit on what a submission "
            "keeps (output size limit): not kept"] in notes
    assert len(notes) == 4


def test_the_limit_counts_every_notebook_of_the_submission(tmp_path):
    executed = tmp_path / "executed"
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.bin").write_bytes(b"x" * 600)
    assert keep_written_files(str(tmp_path / "first"), tmp_path, executed, 1000) == []
    notes = keep_written_files(str(tmp_path / "second"), tmp_path, executed, 1000)
    assert len(notes) == 1 and "'second.bin' (600 bytes)" in notes[0][1]


def test_a_parcel_never_follows_a_link(tmp_path):
    (tmp_path / "executed").mkdir()
    (tmp_path / "executed" / "outcome.json").write_text("{}")
    os.symlink("/etc/passwd", tmp_path / "executed" / "passwd")
    os.symlink("/etc", tmp_path / "executed" / "etc")
    assert pack(tmp_path / "executed") == {"outcome.json": b"{}"}


def test_past_so_many_files_the_rest_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(written_files, "MAX_FILES", 2)
    (tmp_path / "outbox").mkdir()
    for index in range(4):
        (tmp_path / "outbox" / f"{index}.txt").write_text("x")
    notes = keep_written_files(str(tmp_path / "outbox"), tmp_path, tmp_path / "executed", 1000)
    assert notes == [[LABEL, "more than 2 files: the rest not kept"]]
    assert sorted(p.name for p in (tmp_path / "executed" / WRITTEN_DIR).iterdir()) == \
        ["0.txt", "1.txt"]


@needs_sandbox
def test_the_sandbox_hands_over_its_home_directory_when_its_program_ends(tmp_path):
    given, shared = tmp_path / "given", tmp_path / "shared"
    given.mkdir(mode=0o755)
    (given / "data.csv").write_text("1,2\n")
    (given / "data.csv").chmod(0o644)
    shared.mkdir()
    os.chown(shared, Slot(1).uid, Slot(1).gid)
    sandbox = Sandbox(Slot(1), Limits(), given, [shared], outbox=str(shared / "outbox"))
    code = ("import os; open('plot.png', 'wb').write(b'png'); os.symlink('/etc/passwd', 'pw');"
            "os.mkdir('.cache'); raise SystemExit(3)")
    ran = subprocess.run(sandbox.command([sys.executable, "-c", code]), timeout=60)
    assert ran.returncode == 3  # the program's own exit status, after the copy
    notes = keep_written_files(sandbox.written_files_dir(), given, tmp_path / "executed", 1000)
    assert [p.name for p in (tmp_path / "executed" / WRITTEN_DIR).iterdir()] == ["plot.png"]
    assert notes == [[LABEL, "'pw' is a symbolic link: not kept"]]
