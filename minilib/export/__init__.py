"""Exporting trained models for inference outside minilib and Python.

`model.export("model.onnx", format="onnx")` writes an ONNX file that
ONNX Runtime (or any ONNX-capable runtime) can run without minilib.
"""

from minilib.export.onnx import export_onnx

__all__ = ["export_onnx"]
