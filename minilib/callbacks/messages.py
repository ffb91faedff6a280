"""print_message: how callbacks print, so that their lines and the progress bar don't mix.

Everything goes to stdout. (nbgrader gives zero points to a test cell that
writes to stderr, and Python's warnings go to stderr.)

Under `minilib.distribution.DataParallel` only process 0 prints: the other processes
would repeat the same lines.
"""

import sys

from tqdm.auto import tqdm

from minilib.distribution.process_group import is_main_process


def print_message(text):
    """Print one line to stdout, above the progress bar if one is being drawn."""
    if is_main_process():
        # tqdm.write clears a terminal bar, prints, and redraws the bar below the text.
        tqdm.write(text, file=sys.stdout)


def format_logs(logs):
    """`{"loss": 0.30123, "val_loss": 0.4}` -> `"loss: 0.3012 - val_loss: 0.4000"`."""
    return " - ".join(f"{name}: {_format_number(value)}" for name, value in logs.items())


def _format_number(value):
    if not isinstance(value, int | float):
        return str(value)
    # Four decimals, or scientific notation for tiny numbers such as a learning rate of 1e-5.
    return f"{value:.4f}" if value == 0 or abs(value) >= 1e-3 else f"{value:.4e}"
