"""LSTM, GRU, SimpleRNN and ConvLSTM: the recurrent layers that make their own cell.

`RNN(cell)` runs any cell you give it and saves that cell whole. The named layers
take the cell's arguments themselves, `LSTM(32, dropout=0.1)`, and build their
cell from them; so, as in Keras, they save those arguments flat, read back from
the cell, and are rebuilt by calling the class with them again:

>>> layer = minilib.layers.GRU(8, dropout=0.25)
>>> config = layer.get_config()
>>> "cell" in config, config["units"], config["dropout"]
(False, 8, 0.25)
>>> minilib.layers.GRU.from_config(config).cell.dropout
0.25
"""

from minilib import regularizers
from minilib.layers.rnn.rnn import RNN


class RNNWithOwnCell(RNN):
    """An `RNN` whose config is its cell's arguments (`cell_arguments`), not the cell."""

    cell_arguments = ()
    """The cell's constructor arguments that the layer saves, in Keras's order."""

    def get_config(self):
        cell_config = self.cell.get_config()
        return {**self._rnn_config(), **{name: cell_config[name] for name in self.cell_arguments},
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def cell_settings(layer_arguments, default_name):
    """The name, dtype and `trainable` a layer gives the cell it makes, from its own.

    >>> cell_settings({"name": "encoder"}, "lstm")
    {'name': 'encoder_cell', 'dtype': None, 'trainable': True}
    """
    return {"name": f"{layer_arguments.get('name') or default_name}_cell",
            "dtype": layer_arguments.get("dtype"),
            "trainable": layer_arguments.get("trainable", True)}
