"""minilib.viz: notebook widgets that show what a model is and what training does to it.

Each widget draws a matplotlib figure (`widget.figure()`) and, in JupyterLab or
Colab, shows it as an interactive ipywidget that updates in place without
blocking the kernel. Where widgets cannot render (papermill, exported HTML)
the same display shows a static PNG instead.

* `WeightsViewer(model)`: a layer's kernel, bias and latest gradient.
* `LiveTraining()`: a callback plotting loss and metrics while `fit` runs.
* `ModelGraph(model)`: the model's graph of layer calls; pick a layer to see its weights.
* `ComputationGraph()`: autograd's graph of a small expression, "data | grad" per value,
  with the backward pass replayed one node at a time.
* `Playground()`: TensorFlow Playground on minilib: data, features, layers; press play and
  watch the decision boundary and every hidden unit learn.
* `FeatureMaps(model, images)`: an image and the feature maps a CNN layer computes from it.
"""

from minilib.viz.computation_graph import ComputationGraph
from minilib.viz.feature_maps import FeatureMaps
from minilib.viz.live_training import LiveTraining
from minilib.viz.model_graph import ModelGraph
from minilib.viz.playground import Playground
from minilib.viz.weights_viewer import WeightsViewer

__all__ = ["ComputationGraph", "FeatureMaps", "LiveTraining", "ModelGraph", "Playground",
           "WeightsViewer"]
