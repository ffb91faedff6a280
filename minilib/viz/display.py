"""What every minilib.viz widget has in common: a figure, and a live view of it.

Each widget draws itself with matplotlib into a `Figure` that is *not* tied to
pyplot, so drawing never pops up a window or a second copy in the notebook.
Where a notebook frontend is running, the widget is shown as an ipywidget (its
controls above a picture of the figure) and redrawn in place as things change,
even while `fit` is still running. Every display also carries a PNG of the
figure, which is what papermill runs and exported HTML show.

    viewer = minilib.viz.WeightsViewer(model)
    viewer.show()        # in JupyterLab: the widget; elsewhere: a static picture
    viewer.figure()      # the matplotlib Figure, to save or to inspect in tests
"""

import base64
import io
import time


def in_notebook():
    """True inside an IPython kernel (JupyterLab, Colab, papermill), False in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def new_figure(width, height):
    """A matplotlib Figure drawn by Agg, independent of pyplot and of the notebook backend."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def png_bytes(figure, dpi=80):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class Widget:
    """Base class: subclasses implement `figure()` and may add `controls()`.

    `widget` (built on first use) is an ipywidgets box with the controls and an
    Image of the figure; `refresh()` redraws that image. Redraws are skipped
    while nothing is displayed, so a widget used only as a callback costs little.
    """

    min_refresh_seconds = 0.0  # LiveTraining raises this to keep redraws during fit cheap

    _view = None
    _image = None
    _last_refresh = 0.0
    _draw_seconds = 0.0
    _display_handle = None

    def figure(self):
        """The matplotlib Figure showing the widget's current state."""
        raise NotImplementedError

    def controls(self):
        """The ipywidgets shown above the figure (none by default)."""
        return []

    def views_below(self):
        """The ipywidgets shown below the figure (none by default)."""
        return []

    @property
    def widget(self):
        """The ipywidgets view: controls, the figure as an image, then any views below it."""
        if self._view is None:
            import ipywidgets

            self._image = ipywidgets.Image(format="png")
            self._view = ipywidgets.VBox([*self.controls(), self._image, *self.views_below()])
            self.refresh(force=True)
        return self._view

    def refresh(self, force=False):
        """Redraw the displayed figure (no-op until the widget is displayed).

        Widgets that redraw while something runs (LiveTraining, during `fit`) set
        `min_refresh_seconds`: unless forced, their redraw then waits that long after the
        last one, and at least three times as long as drawing took, so that drawing never
        takes more than about a quarter of the time.
        """
        if self._image is None:
            return
        now = time.monotonic()
        wait = max(self.min_refresh_seconds, 3 * self._draw_seconds)
        if not force and self.min_refresh_seconds and now - self._last_refresh < wait:
            return
        self._image.value = png_bytes(self.figure())
        self._last_refresh = time.monotonic()
        self._draw_seconds = self._last_refresh - now

    def show(self):
        """Display the widget in the notebook (a static PNG where widgets cannot render)."""
        if in_notebook():
            from IPython.display import display

            self._display_handle = display(self, display_id=True)

    def update_display(self):
        """Replace the output of `show()` with the current state, PNG included.

        The live widget redraws itself anyway; this also refreshes the static
        picture that a saved notebook, papermill or exported HTML keeps.
        """
        if self._display_handle is not None:
            self._display_handle.update(self)

    def _repr_png_(self):
        return png_bytes(self.figure())

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self._view is None:
            view = self.widget  # building it draws the figure
        else:
            view = self._view
            self.refresh(force=True)
        bundle = dict(view._repr_mimebundle_() or {})
        bundle["image/png"] = base64.b64encode(self._image.value).decode("ascii")
        return bundle
