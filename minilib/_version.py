"""minilib's version, in a module of its own: saving records it in each `.keras` file, and
importing the package `minilib` there would import the models that import saving."""

__version__ = "0.1.0"
