"""How the Playground draws itself: what every input, every hidden unit and the output compute.

Every picture is computed on the same grid of points covering the plane, so the
pictures line up: a hidden unit of the first layer draws one straight line (or,
with features like x1², a curve), and the units after it combine those into the
decision boundary. Orange stands for low values and class 0, blue for high values
and class 1, as in TensorFlow Playground.

    >>> playground = minilib.viz.Playground(hidden_layers=[3], n_samples=40, resolution=6)
    >>> figure = playground_figure(playground)
    >>> len(figure.axes)      # 3 rows x 2 columns of small pictures, the boundary, the losses
    8
    >>> print(figure.axes[1].get_title())         # top of the second column
    hidden 1
    unit 1
"""

import numpy as np

from minilib.viz.display import new_figure


def playground_figure(playground):
    """The Playground's figure: a column of small pictures per layer, the boundary and the losses.

    The first column shows each input feature over the plane, each next column the
    units of one hidden layer; on the right, the decision boundary with the training
    (white edge) and test (black edge) points, and below it the two loss curves.
    """
    columns = [("features", playground.features, playground.feature_images())]
    columns += [(f"hidden {i + 1}", [f"unit {u + 1}" for u in range(len(images))], images)
                for i, images in enumerate(playground.hidden_images())]
    rows = max(len(names) for _, names, _ in columns)
    small_width = 1.1 * len(columns)  # inches for the small pictures; 5.5 for the rest
    width, height = small_width + 5.5, max(4.5, 0.95 * rows)
    figure = new_figure(width, height)
    # A fixed layout: constrained layout would double the time of every redraw.
    figure.set_layout_engine("none")
    cells = figure.add_gridspec(rows, len(columns), left=0.1 / width,
                                right=small_width / width, top=1 - 0.4 / height,
                                bottom=0.05 / height, hspace=0.4, wspace=0.15,
                                ).subplots(squeeze=False)
    extent = (playground.grid_axis[0], playground.grid_axis[-1]) * 2
    colors = orange_to_blue()
    for column, (title, names, images) in enumerate(columns):
        for row, cell in enumerate(cells[:, column]):
            cell.set_axis_off()
            if row < len(names):
                # Features each get their own scale (x1^2 dwarfs sin(x1)); the units of
                # a hidden layer share one, so that a weak or dead unit looks pale.
                limit = float(np.abs(images[row] if column == 0 else images).max()) or 1.0
                cell.imshow(images[row], origin="lower", extent=extent, cmap=colors,
                            vmin=-limit, vmax=limit)
                cell.set_title(names[row] if row else f"{title}\n{names[row]}", fontsize=7)
    boundary_axes, loss_axes = figure.add_gridspec(
        2, 1, height_ratios=[3, 1], left=(small_width + 0.6) / width, right=0.98,
        top=1 - 0.3 / height, bottom=0.45 / height, hspace=0.3).subplots()
    _draw_boundary(playground, boundary_axes, extent, colors)
    loss_axes.plot(playground.history["epoch"], playground.history["loss"], label="training loss")
    loss_axes.plot(playground.history["epoch"], playground.history["test_loss"], label="test loss")
    loss_axes.set_xlabel("epoch")
    loss_axes.legend(fontsize=7)
    return figure


def _draw_boundary(playground, axes, extent, colors):
    """The predicted probability over the plane, the points on top, the losses as title."""
    axes.imshow(playground.boundary(), origin="lower", extent=extent, cmap=colors, vmin=0, vmax=1,
                alpha=0.8, interpolation="bilinear")
    point_colors = colors([0.0, 1.0])
    axes.scatter(*playground.x_train.T, c=point_colors[playground.y_train.astype(int)], s=14,
                 edgecolors="white", linewidths=0.6, label="training")
    axes.scatter(*playground.x_test.T, c=point_colors[playground.y_test.astype(int)], s=14,
                 edgecolors="black", linewidths=0.6, label="test")
    axes.set_title(f"epoch {playground.epoch}: training loss {playground.history['loss'][-1]:.3f}, "
                   f"test loss {playground.history['test_loss'][-1]:.3f}", fontsize=9)
    axes.set_aspect("equal")


def orange_to_blue():
    """TensorFlow Playground's colours: orange for low values and class 0, blue for high."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("playground", ["#f59322", "#e8eaeb", "#0877bd"])
