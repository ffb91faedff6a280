"""In a real browser: lessons run in JupyterLab, their widgets render, and no cell fails.

A papermill run proves that the Python side works; only a browser proves that a
student *sees* the widgets. This test starts JupyterLab from the project's
environment on 127.0.0.1 (a free port, a private token, private Jupyter folders
in a temporary directory, and copies of the lessons, so nothing is written into
the repository), opens lessons in headless Chromium driven by Playwright, runs
all cells from JupyterLab's Run menu, waits for the kernel to go idle, and then
reads the page:

- every code cell ran (an error stops "Run All", leaving later cells unrun),
- no output shows a Python traceback,
- ipywidgets rendered: widget views exist, their images have loaded, and no
  "Error displaying widget" / "model not found" text appears.

Without the widgets' JavaScript (the `@jupyter-widgets/jupyterlab-manager` lab
extension) JupyterLab quietly shows each widget's PNG or text fallback instead;
the last test disables that extension and checks that this test notices.

Chromium is Debian's (`apt-get install chromium`, done by `make`); Playwright
drives it without downloading a browser of its own. Screenshots of each lesson
are saved in a pytest temporary folder, whose path is printed.
"""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

pytestmark = pytest.mark.slow

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/lib/chromium/chromium"
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# Lessons with different widgets: WeightsViewer (02), ComputationGraph and
# LiveTraining (03), ipywidgets.interact and LiveTraining (10).
LESSONS = ["02_neuron_and_dense.ipynb", "03_learning.ipynb", "10_attention_transformer.ipynb"]
SMALL_PARAMETERS = "epochs = 1  # small, for the browser test"
SERVER_START_SECONDS = 60
RUN_ALL_SECONDS = 180


class JupyterLab:
    """A JupyterLab server started for the tests, with its own folders and token."""

    def __init__(self, folder):
        self.notebooks = folder / "notebooks"
        self.home = folder / "jupyter"
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = None

    def start(self):
        self.notebooks.mkdir(parents=True)
        write_settings(self.home / "settings")
        root_only = ["--allow-root"] if os.geteuid() == 0 else []
        command = [str(pathlib.Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.notebooks}", *root_only]
        self.log = (self.home / "server.log").open("w")
        self.process = subprocess.Popen(command, env=self.environment(), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start on {self.url}:\n"
                                   f"{(self.home / 'server.log').read_text()[-3000:]}")
            time.sleep(0.25)

    def environment(self):
        """Jupyter's folders under `home`, so the user's settings neither leak in nor change."""
        folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                   "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "settings",
                   "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "MINILIB_HOME": "minilib"}
        return {**os.environ, "OMP_NUM_THREADS": "1",
                **{name: str(self.home / sub) for name, sub in folders.items()}}

    def answers(self):
        try:
            self.api("status")
            return True
        except OSError:
            return False

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_for_kernel(self, name):
        """Wait until the kernel of notebook `name` has started and the page is connected to it.

        The page shows "idle" before the kernel has even started, and a Run All sent then
        is lost.
        """
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            kernels = [session["kernel"] for session in self.api("sessions")
                       if session["path"] == name]
            if kernels and kernels[0]["execution_state"] == "idle" and kernels[0]["connections"]:
                return
            time.sleep(0.25)
        raise RuntimeError(f"The kernel of {name} did not start within {SERVER_START_SECONDS} s: "
                           f"{self.api('sessions')}")

    def add_notebook(self, notebook, name):
        nbformat.write(notebook, self.notebooks / name)

    def page_url(self, name):
        # `reset`: a fresh workspace, so tabs of notebooks opened earlier are not restored.
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def shut_down_kernels(self):
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def disable_extension(self, name):
        """Disable a lab extension for the pages loaded from now on (as `labextension disable`)."""
        labconfig = self.home / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {name: True}}))

    def enable_all_extensions(self):
        shutil.rmtree(self.home / "config" / "labconfig", ignore_errors=True)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(folder):
    """Render every cell (no windowing, so off-screen outputs are in the page) and stay offline."""
    settings = {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for plugin, values in settings.items():
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def with_small_parameters(path):
    """The lesson, with its parameters cell ending in small values (papermill's rule: last wins)."""
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    cell.source += "\n" + SMALL_PARAMETERS
    return notebook


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = JupyterLab(tmp_path_factory.mktemp("lab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert pathlib.Path(CHROMIUM).exists(), \
        f"{CHROMIUM} is missing: install Debian's chromium (`make install` as root does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots of the lessons in the browser: {folder}")
    return folder


# The notebook on show; each script below looks only inside it.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# Run All marks every queued cell [*] and numbers it once it has run.
RUN_HAS_STARTED = r"""notebook => [...document.querySelectorAll(`${notebook} .jp-InputPrompt`)]
    .some(prompt => /\[(\d+|\*)\]/.test(prompt.textContent))"""
# Over when no cell is queued and the kernel is idle. After an error the rest of the queue
# is dropped (those cells keep an empty prompt), which also ends the wait.
RUN_IS_OVER = r"""notebook => {
    const prompts = [...document.querySelectorAll(`${notebook} .jp-InputPrompt`)];
    const indicator = document.querySelector(`${notebook} .jp-Notebook-ExecutionIndicator`);
    return !prompts.some(prompt => prompt.textContent.includes('*'))
        && indicator !== null && indicator.dataset.status === 'idle';
}"""
# What the student sees, as plain data.
WHAT_IS_SHOWN = r"""notebook => {
    const all = selector => [...document.querySelectorAll(`${notebook} ${selector}`)];
    return {
        prompts: all('.jp-CodeCell .jp-InputPrompt').map(prompt => prompt.textContent.trim()),
        tracebacks: all('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
            .map(output => output.textContent).filter(text => text.includes('Traceback')),
        widgetErrors: all('.jp-OutputArea-output').map(output => output.textContent)
            .filter(text => /Error displaying widget|model not found/.test(text)),
        widgetViews: all('.jp-OutputArea-output > .jupyter-widgets').length,
        widgetImages: all('img.widget-image').map(image => image.naturalWidth),
        plots: all('.jp-RenderedImage img').map(image => image.naturalWidth),
    };
}"""


def open_and_run_all(browser, lab, name):
    """Open notebook `name` in a new page, run all its cells, and wait for the kernel."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(lab.page_url(name))
    page.wait_for_selector(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=SERVER_START_SECONDS * 1000)
    lab.wait_for_kernel(name)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(RUN_HAS_STARTED, arg=NOTEBOOK, timeout=30_000, polling=250)
    page.wait_for_function(RUN_IS_OVER, arg=NOTEBOOK, timeout=RUN_ALL_SECONDS * 1000,
                           polling=250)
    return page


def read_page(page):
    """Prompts, tracebacks, widget errors and views, and image widths of the notebook on show."""
    return page.evaluate(WHAT_IS_SHOWN, NOTEBOOK)


def problems(seen):
    """Everything on the page that a student should not see, as sentences."""
    found = []
    unrun = [n for n, prompt in enumerate(seen["prompts"]) if not any(c.isdigit() for c in prompt)]
    if unrun:
        found.append(f"code cells {unrun} did not run (of {len(seen['prompts'])})")
    found += [f"a cell shows a traceback: {text[-500:]}" for text in seen["tracebacks"]]
    found += [f"a widget failed: {text[:300]}" for text in seen["widgetErrors"]]
    if not seen["widgetViews"]:
        found.append("no ipywidgets view rendered (is the widgets lab extension installed?)")
    if not any(width > 0 for width in seen["widgetImages"]):
        found.append(f"no widget image loaded (widths {seen['widgetImages']})")
    return found


def save_screenshots(page, folder, name):
    """One screenshot per widget (up to three), scrolled into view, then the end of the lesson."""
    stem = pathlib.Path(name).stem
    views = page.locator(f"{NOTEBOOK} .jp-OutputArea-output > .jupyter-widgets")
    for number in range(min(views.count(), 3)):
        views.nth(number).scroll_into_view_if_needed()
        page.screenshot(path=folder / f"{stem}-widget{number}.png")
    page.locator(f"{NOTEBOOK} .jp-Cell").last.scroll_into_view_if_needed()
    page.screenshot(path=folder / f"{stem}-end.png")


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab_and_its_widgets_render(lab, browser, screenshots, name):
    lab.add_notebook(with_small_parameters(ROOT / "lessons" / name), name)
    page = open_and_run_all(browser, lab, name)
    try:
        seen = read_page(page)
        save_screenshots(page, screenshots, name)
    finally:
        page.close()
        lab.shut_down_kernels()
    assert not problems(seen), f"{name} in JupyterLab:\n" + "\n".join(problems(seen))
    assert any(width > 0 for width in seen["plots"]), f"{name}: no matplotlib figure rendered"


def test_the_check_notices_when_the_widget_javascript_is_missing(lab, browser):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import minilib as keras\n"
        "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])\n"
        "keras.viz.WeightsViewer(model).show()")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    lab.add_notebook(notebook, "one_widget.ipynb")
    lab.disable_extension(WIDGETS_EXTENSION)
    try:
        page = open_and_run_all(browser, lab, "one_widget.ipynb")
        seen = read_page(page)
        page.close()
    finally:
        lab.enable_all_extensions()
        lab.shut_down_kernels()
    assert seen["prompts"] == ["[1]:"], f"the widget cell did not run: {seen['prompts']}"
    assert any(width > 0 for width in seen["plots"]), \
        "without the widget extension, JupyterLab should show the widget's PNG fallback"
    assert "no ipywidgets view rendered" in " ".join(problems(seen))
