"""Importing minilib, or even minilib.viz, loads neither matplotlib nor ipywidgets."""

import subprocess
import sys


def test_viz_imports_its_heavy_dependencies_only_when_drawing():
    code = ("import sys, minilib, minilib.viz, minilib.utils.plot_model; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]" and result.stderr == ""
