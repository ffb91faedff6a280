"""Sandbox uids are claimed from the machine: no two holders at once, freed when a holder dies."""

import subprocess
import sys

import pytest

from grading.pipeline import slot_locks
from grading.pipeline.sandbox import FIRST_UID


@pytest.fixture(autouse=True)
def private_locks(tmp_path, monkeypatch):
    monkeypatch.setattr(slot_locks, "SLOT_LOCKS", tmp_path / "locks")


def uids(slots):
    return [slot.uid for slot in slots]


def test_two_runs_at_once_get_different_uids_and_the_lowest_are_reused():
    with slot_locks.claimed_slots(2) as first:
        with slot_locks.claimed_slots(2) as second:
            assert uids(first) == [FIRST_UID, FIRST_UID + 1]
            assert uids(second) == [FIRST_UID + 2, FIRST_UID + 3]
        with slot_locks.claimed_slots(1) as third:
            assert uids(third) == [FIRST_UID + 2]


def test_a_killed_holder_frees_its_uid():
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom grading.pipeline import slot_locks\n"
         f"slot_locks.SLOT_LOCKS = slot_locks.Path({str(slot_locks.SLOT_LOCKS)!r})\n"
         "slot, lock = slot_locks.claim_slot()\nprint(slot.uid, flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert int(holder.stdout.readline()) == FIRST_UID
        with slot_locks.claimed_slots(1) as slots:
            assert uids(slots) == [FIRST_UID + 1]
    finally:
        holder.kill()
        holder.wait()
    with slot_locks.claimed_slots(1) as slots:
        assert uids(slots) == [FIRST_UID]
