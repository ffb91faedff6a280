"""Each batch on its way into a step: onto the model's device, with class weights applied.

The data adapters (`data_adapters/`) cut the data into `(x, y, sample_weight)`
batches, still where the data lives (usually the CPU). Before a step sees a batch,

- every tensor moves to the device of the model's weights (a GPU, if the model is
  on one), without waiting for the copy to finish (`non_blocking=True`);
- with `fit(class_weight={class: weight})`, each sample gets its class's weight as
  its sample weight, so that rare classes count more in the loss;
- the batch is packed as Keras hands it to a step: `x`, `(x, y)` or `(x, y, sw)`.

>>> x, y = torch.ones(3, 2), torch.tensor([0, 1, 1])
>>> _, _, sample_weight = to_device((x, y, None), "cpu", class_weight_table({1: 5.0}, "cpu"))
>>> sample_weight
tensor([1., 5., 5.])
"""

import numpy as np
import torch

from minilib.backend import config
from minilib.trainers.data_adapters import pack_x_y_sample_weight
from minilib.trainers.data_adapters.array_data_adapter import to_tensor
from minilib.utils import tree


def data_device(model):
    """Where the batches go: the device of the model's weights (the default one if none)."""
    weights = model.weights
    return weights[0].device if weights else config.device()


def as_batch(x, y, sample_weight):
    """One batch given by hand (`train_on_batch(x, y)`) as tensors."""
    return tree.map_structure(to_tensor, (x, y, sample_weight))


def to_device(batch, device, class_weights=None):
    """The batch on `device`, packed as Keras hands it to a step: `(x, y)`, `(x, y, sw)` or x."""
    x, y, sample_weight = tree.map_structure(
        lambda t: t if t is None else t.to(device, non_blocking=True), batch)
    if class_weights is not None and y is not None:
        if sample_weight is not None:
            raise ValueError("class_weight and sample_weight cannot be used together (as in "
                             "Keras): multiply the class weights into sample_weight instead.")
        labels = y.argmax(-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(-1).long()
        sample_weight = _weights_of(labels.reshape(-1).long(), class_weights)
    return pack_x_y_sample_weight(x, y, sample_weight)


def _weights_of(labels, table):
    """Each label's weight in `table`; 1.0 for a label past its end (as Keras, whose
    `class_weight.get(label, 1.0)` weighs a class the dict leaves out by 1)."""
    known = labels < len(table)
    return torch.where(known, table[labels.clamp(max=len(table) - 1)], 1.0)


def class_weight_table(class_weight, device):
    """`{class: weight}` as a lookup tensor indexed by class number; classes between the
    keys that it leaves out weigh 1."""
    if not class_weight:
        return None
    table = np.ones(max(class_weight) + 1, dtype="float32")
    for label, weight in class_weight.items():
        table[int(label)] = weight
    return torch.as_tensor(table, device=device)
