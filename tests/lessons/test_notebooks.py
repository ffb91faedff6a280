"""Notebooks are source code: valid, committed without outputs, parameterized, and runnable."""

import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
FAST_PARAMETERS = {"epochs": 1}


def test_there_are_lessons():
    assert LESSONS, "lessons/ has no notebooks"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_notebook_is_valid_clean_and_has_parameters_cell(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code_cells), \
        f"{path.name} is committed with outputs; clear them"
    tagged = [c for c in code_cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path):
    import papermill

    papermill.execute_notebook(str(path), str(tmp_path / path.name),
                               parameters=FAST_PARAMETERS, kernel_name="python3",
                               cwd=str(path.parent), progress_bar=False)
    executed = nbformat.read(tmp_path / path.name, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


def test_readme_links_every_lesson_and_its_colab_page():
    readme = (ROOT / "README.md").read_text()
    colab = "https://colab.research.google.com/github/minilib-course/minilib-course/blob/main/"
    for path in LESSONS:
        assert f"(lessons/{path.name})" in readme, f"README's lesson table lacks {path.name}"
        assert f"({colab}lessons/{path.name})" in readme, f"no Colab link for {path.name}"
