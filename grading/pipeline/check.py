"""Step 2: read each submitted notebook, report tampering, and make it safe to execute.

This is nbgrader's own "sanitize" half of autograde, run with nbgrader's preprocessors:
outputs are cleared (a submission's outputs are never trusted), duplicate cell ids removed, the
kernelspec and every locked cell (tests included, with their hidden tests) restored from the
gradebook, deleted grade cells put back, metadata validated.

nbgrader restores an edited locked cell silently (a log warning). Here the edit is reported:
`find_tampering` compares each locked cell with the version students were given (the
gradebook's source minus its hidden tests).

The prepared notebook also carries, in its metadata under `GUARDED_IMPORTS`, the imports of the
instructor's source notebook: the execute step's test guard (`guard`) keeps them intact. Only
the cell the source tags `parameters` keeps that tag, so that papermill injects there and
nowhere else; students never choose the kernel either.

Before any submission is checked, `check_kernels` refuses an assignment whose kernels cannot
run as nbgrader would run them, in one line that names the kernel and why.
"""

import copy
import json
import re
import shutil

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbformat.v4.nbbase import random_cell_id
from nbgrader import utils
from nbgrader.nbgraderformat import SCHEMA_VERSION
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    OverwriteCells,
    OverwriteKernelspec,
)

from ..course import CourseError
from .collect import submitted_notebooks
from .guard import GUARDED_IMPORTS, instructor_imports
from .kernel import find_kernel, is_python, kernel_name, kernel_program
from .sandbox import sandbox_environment, shows

PAPERMILL_TAGS = {"parameters", "injected-parameters"}


class UnreadableNotebook(Exception):
    """The file cannot be graded at all; the message says why, for the instructor."""


class MissingNotebook(UnreadableNotebook):
    """The submission has no file for the notebook; the message says what it has."""


def locate_notebook(directory, name):
    """The submitted file of notebook `name`, and a note when it is not `name.ipynb`.

    Learning platforms and browsers rename downloads ("PS0_numpy (1).ipynb", "Copy of
    ps0_numpy.ipynb"): a single notebook whose name matches once case, spaces and such copy
    marks are ignored is graded, with a note. Otherwise the notebook is missing
    (MissingNotebook), and the message lists the notebooks the submission does have.
    """
    expected = directory / f"{name}.ipynb"
    if expected.is_file():
        return expected, None
    found = submitted_notebooks(directory)
    matches = [path for path in found if _plain_name(path.stem) == _plain_name(name)]
    if len(matches) == 1:
        return matches[0], (f"graded '{matches[0].relative_to(directory)}' as {name}.ipynb "
                            "(the file had been renamed)")
    if found:
        names = ", ".join(f"'{path.relative_to(directory)}'" for path in found)
        raise MissingNotebook(f"is missing; submitted: {names}")
    raise MissingNotebook("is missing from the submission")


def _plain_name(stem):
    stem = re.sub(r"^copy of\s+|\s*\(\d+\)$|[\s_-]+copy$", "", stem.strip().lower())
    return re.sub(r"[\s-]+", "_", stem)


def read_notebook(path):
    """Parse a submitted notebook, or raise UnreadableNotebook saying what is wrong with it."""
    if not path.is_file():
        raise UnreadableNotebook("is missing from the submission")
    text = path.read_bytes().decode("utf-8", errors="replace")
    if not text.strip():
        raise UnreadableNotebook("is an empty file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UnreadableNotebook(
            f"is not valid JSON (line {e.lineno}, column {e.colno}): damaged, or not a notebook"
        ) from None
    version = data.get("nbformat") if isinstance(data, dict) else None
    if isinstance(version, int) and version > nbformat.current_nbformat:
        raise UnreadableNotebook(
            f"says it is nbformat {version}, a version that Jupyter does not have (expected "
            f"{nbformat.current_nbformat}, or an older one, which is converted): edited by hand?"
        )
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as e:
        raise UnreadableNotebook(f"is not a valid notebook: {str(e).splitlines()[0]}") from None
    _check_metadata_format(nb)
    return nb


def _check_metadata_format(nb):
    """nbgrader grades only cells whose nbgrader metadata has its own format version
    (SCHEMA_VERSION); raise UnreadableNotebook, as nbgrader fails, for any other."""
    for cell in nb.cells:
        if "nbgrader" not in cell.metadata:
            continue
        version = cell.metadata.nbgrader.get("schema_version", 0)
        if version < SCHEMA_VERSION:
            raise UnreadableNotebook(
                f"has nbgrader metadata in an old format (version {version}, nbgrader's is "
                f"{SCHEMA_VERSION}): back up the course, then run `nbgrader update` on it")
        if version > SCHEMA_VERSION:
            raise UnreadableNotebook(
                f"has nbgrader metadata in a format newer than nbgrader's (version {version}, "
                f"nbgrader's is {SCHEMA_VERSION}): made with a newer nbgrader?")


def prepare_notebook(nb, notebook, assignment, course):
    """Sanitize `nb` like nbgrader's autograde; return it and the tampering found, as a list
    of [cell label, what was done]."""
    resources = {
        "nbgrader": {"notebook": notebook, "assignment": assignment, "db_url": course.db_url}
    }
    for preprocessor in (ClearOutput, DeduplicateIds, OverwriteKernelspec):
        nb, resources = preprocessor(config=course.config)(nb, resources)
    with course.gradebook() as gb:
        source = gb.find_notebook(notebook, assignment)  # the gradebook's record of the source
        tampering = find_tampering(nb, source) + restore_cell_roles(nb, source)
        recorded_kernel = json.loads(source.kernelspec or "{}")
    restore = OverwriteCells(config=course.config, add_missing_cells=True)
    nb, resources = restore(nb, resources)
    nb, resources = CheckCellMetadata(config=course.config)(nb, resources)
    source_nb = read_source(course, assignment, notebook)
    parameters = parameters_cells(source_nb)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.metadata.get("nbgrader", {}).get("grade_id") not in parameters:
            # only the source's parameters cell may steer papermill
            cell.metadata["tags"] = [t for t in tags if t not in PAPERMILL_TAGS]
        if not cell.get("id") and has_cell_ids(nb):  # cells nbgrader put back lack one
            cell["id"] = random_cell_id()
    if not recorded_kernel:  # nbgrader would run the student's choice; run python3, the
        nb.metadata.pop("kernelspec", None)  # default, which `check_kernels` checked
    nb.metadata[GUARDED_IMPORTS] = instructor_imports(source_nb)
    return nb, tampering


def read_source(course, assignment, notebook):
    return nbformat.read(course.source_dir(assignment) / f"{notebook}.ipynb", as_version=4)


def parameters_cells(source_nb):
    """Grade ids of the source's cells tagged `parameters` (papermill injects after the first)."""
    return {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in source_nb.cells
            if "parameters" in cell.metadata.get("tags", [])} - {None}


def assignment_kernelspec(course, assignment, notebook):
    """The kernelspec recorded in the gradebook by `course generate` (nbgrader's
    OverwriteKernelspec gives it to every submission); {} when the source had none."""
    with course.gradebook() as gb:
        return json.loads(gb.find_notebook(notebook, assignment).kernelspec or "{}")


def check_kernels(course, assignment, notebooks, sandboxed):
    """Refuse (CourseError, one line) an assignment that a notebook's kernel cannot grade: the
    kernel is not installed, its program is not in the sandbox, or papermill cannot write
    parameters in its language although the notebook has a `parameters` cell. Return one line
    for the run's summary per notebook whose kernel is not Python: its tests run unguarded.

        check_kernels(course, "ps_bash", ["ps_bash"], sandboxed=True)
        # ["ps_bash.ipynb runs in kernel 'bash' (bash): its test cells run without ..."]
    """
    notes = []
    for name in notebooks:
        kernel = kernel_name({"kernelspec": assignment_kernelspec(course, assignment, name)})
        try:
            spec = find_kernel(kernel)
        except NoSuchKernel:
            raise CourseError(f"{name}.ipynb of {assignment} runs in kernel '{kernel}', which is "
                              "not installed here (see `jupyter kernelspec list`): refusing to "
                              "grade it") from None
        source_nb = read_source(course, assignment, name)
        problem = _kernel_problem(spec, sandboxed, bool(parameters_cells(source_nb)))
        if problem:
            raise CourseError(f"{name}.ipynb of {assignment} runs in kernel '{kernel}', whose "
                              f"{problem}: refusing to grade it")
        if any("parameters" in cell.metadata.get("tags", []) and
               "grade_id" not in cell.metadata.get("nbgrader", {}) for cell in source_nb.cells):
            raise CourseError(f"{name}.ipynb of {assignment}: its `parameters` cell must be an "
                              "nbgrader cell (read-only), or submissions could not be matched "
                              "to it: refusing to grade it")
        if not is_python(spec):
            notes.append(f"{name}.ipynb runs in kernel '{kernel}' ({spec.language}): its test "
                         "cells run without the test guard, which only Python kernels have")
    return notes


def _kernel_problem(spec, sandboxed, has_parameters):
    """What keeps kernelspec `spec` from grading, as words that follow "whose"; None if
    nothing does."""
    path = sandbox_environment()["PATH"]
    program = shutil.which(kernel_program(spec), path=path) if spec.argv else None
    if program is None:
        return f"program {spec.argv[:1]} is not on the sandbox's PATH ({path})"
    if sandboxed:
        for needed in (program, _interpreter(program)):
            if needed and not shows(needed, [spec.resource_dir]):
                return (f"program {needed} is outside the sandbox, which only has the "
                        "system's /usr, Python's installation and virtual environment, and the "
                        "kernelspec's folder")
    if has_parameters:
        from papermill.exceptions import PapermillException  # slow to import: only here
        from papermill.translators import papermill_translators

        try:
            papermill_translators.find_translator(spec.name, spec.language)
        except PapermillException:
            return (f"language, {spec.language}, is one papermill cannot write parameters in, "
                    "and the notebook has a `parameters` cell")
    return None


def _interpreter(program):
    """The interpreter a script's #! line names, or None."""
    with open(program, "rb") as file:
        first = file.readline(256)
    if not first.startswith(b"#!"):
        return None
    words = first[2:].split()
    return words[0].decode(errors="replace") if words else None


def has_cell_ids(nb):
    """Whether the notebook's format gives cells an id: nbformat 4.5 wants one, 4.0 to 4.4
    do not allow it."""
    return (nb.nbformat, nb.nbformat_minor) >= (4, 5)


def find_tampering(nb, source):
    """Locked cells (and grade cells' points) that differ from what students were given;
    `source` is the gradebook's record of the notebook."""
    submitted = {
        cell.metadata.nbgrader["grade_id"]: (index, cell)
        for index, cell in enumerate(nb.cells)
        if cell.metadata.get("nbgrader", {}).get("grade_id")
    }
    found = []
    points = {cell.name: cell.max_score for cell in source.grade_cells}
    for original in source.source_cells:
        index, cell = submitted.get(original.name, (None, None))
        if cell is None:
            if original.locked or original.name in points:
                found.append([f"cell {original.name}", "deleted; put back before grading"])
            continue
        label = f"cell {index + 1} ({original.name})"
        changes = []
        if original.locked and cell.source != released_source(original):
            changes.append("edited")
        if original.locked and not utils.is_locked(cell):
            changes.append("unlocked")
        if cell.cell_type != original.cell_type:
            changes.append(f"turned into {cell.cell_type}")
        if original.name in points and _points(cell) != points[original.name]:
            changes.append("points changed")
        if changes:
            found.append([label, " and ".join(changes) + "; restored before grading"])
    return found


def restore_cell_roles(nb, source):
    """Give every cell the nbgrader role it has in the assignment (solution, test and its
    points, locked), drop nbgrader metadata the assignment does not have; report the first
    two kinds of change (`find_tampering` reports points and locks)."""
    roles = {cell.name: {"grade": False, "solution": False, "locked": cell.locked}
             for cell in source.source_cells}
    for cell in source.grade_cells:
        roles[cell.name].update(grade=True, points=cell.max_score)
    for cell in source.solution_cells:
        roles[cell.name]["solution"] = True
    for cell in source.task_cells:
        roles[cell.name].update(task=True, points=cell.max_score)
    found = []
    for index, cell in enumerate(nb.cells):
        metadata = cell.metadata.get("nbgrader")
        if metadata is None:
            continue
        grade_id = metadata.get("grade_id")
        if grade_id not in roles:
            del cell.metadata["nbgrader"]
            if metadata.get("grade") or metadata.get("solution") or metadata.get("task"):
                found.append([f"cell {index + 1}", f"claimed to be cell {grade_id!r}, which the "
                              "assignment does not have; graded as an ordinary cell"])
            continue
        claimed = _role(metadata)
        metadata.pop("points", None)
        metadata.pop("task", None)
        metadata.update(roles[grade_id])
        if claimed != _role(metadata):
            found.append([f"cell {index + 1} ({grade_id})", f"claimed to be {claimed}, but is "
                          f"{_role(metadata)}; restored before grading"])
    return found


def _role(metadata):
    if metadata.get("task"):
        return "a task cell"
    if metadata.get("grade"):
        return "a graded answer cell" if metadata.get("solution") else "a test cell"
    return "an answer cell" if metadata.get("solution") else "a locked or plain cell"


def released_source(source_cell):
    """The cell as students received it: the gradebook's source without its hidden tests."""
    cell = nbformat.v4.new_code_cell(copy.copy(source_cell.source))
    ClearHiddenTests(enforce_metadata=False)._remove_hidden_test_region(cell)
    return cell.source


def _points(cell):
    try:
        return float(cell.metadata.nbgrader.get("points", 0))
    except (TypeError, ValueError):
        return None

