"""plot_model: save a picture of a model's graph, as `keras.utils.plot_model` does."""

import pathlib
import shutil
import subprocess


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", dpi=200, show_layer_activations=False,
               show_trainable=False, engine="auto"):
    """Draw `model`'s graph of layers into `to_file`.

    The file type follows the file name: .png, .svg, .pdf or .jpg. When Graphviz's
    `dot` program is installed (`apt-get install graphviz`), it lays the graph out,
    as in Keras. Otherwise minilib draws the same boxes and arrows itself with
    matplotlib (`minilib.viz.ModelGraph`), so the function works everywhere.
    `engine="graphviz"` or `engine="matplotlib"` picks one explicitly.

    Args:
        model: a Sequential or functional model with a known input shape.
        to_file: where to write; the suffix picks the format.
        show_shapes, show_dtype, show_layer_names, show_layer_activations,
        show_trainable: what each layer's box says.
        rankdir: "TB" (top to bottom) or "LR" (left to right).
        dpi: resolution of PNG and JPG files.
        engine: "auto" (Graphviz if `dot` is installed, else matplotlib),
            "graphviz" or "matplotlib".

    Returns:
        An `IPython.display.Image` (or `SVG`) of the file, which a notebook shows
        when it is a cell's last line; None for PDF files.

    Example:

    >>> model = minilib.Sequential([minilib.Input(shape=(4,)),
    ...                             minilib.layers.Dense(3, activation="relu"),
    ...                             minilib.layers.Dense(1)])
    >>> picture = minilib.utils.plot_model(model, to_file="model.png", show_shapes=True,
    ...                                    engine="matplotlib")
    >>> import os; os.path.getsize("model.png") > 0
    True
    """
    from minilib.viz.model_graph import ModelGraph

    if engine not in ("auto", "graphviz", "matplotlib"):
        raise ValueError(f"engine must be 'auto', 'graphviz' or 'matplotlib', got {engine!r}.")
    path = pathlib.Path(to_file)
    file_format = path.suffix.lstrip(".").lower() or "png"
    graph = ModelGraph(model, show_shapes=show_shapes, show_layer_names=show_layer_names,
                       show_params=False, show_dtype=show_dtype,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, rankdir=rankdir)
    dot = shutil.which("dot")
    if engine == "graphviz" and dot is None:
        raise RuntimeError("engine='graphviz' needs Graphviz's `dot` program: install it "
                           "(apt-get install graphviz) or use engine='matplotlib'.")
    if dot is not None and engine != "matplotlib":
        subprocess.run([dot, f"-T{file_format}", "-o", str(path)], input=graph.to_dot(dpi),
                       text=True, check=True, capture_output=True)
    else:
        graph.figure().savefig(path, format=file_format, dpi=dpi)
    return _display_object(path, file_format)


def _display_object(path, file_format):
    try:
        from IPython import display
    except ImportError:
        return None
    if file_format == "svg":
        return display.SVG(filename=str(path))
    if file_format == "pdf":
        return None
    return display.Image(filename=str(path))
