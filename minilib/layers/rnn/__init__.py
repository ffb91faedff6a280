"""Recurrent layers: RNN, LSTM, GRU and their cells, ConvLSTM, and the sequence wrappers."""

from minilib.layers.rnn.bidirectional import Bidirectional
from minilib.layers.rnn.conv_lstm1d import ConvLSTM1D
from minilib.layers.rnn.conv_lstm2d import ConvLSTM2D
from minilib.layers.rnn.conv_lstm3d import ConvLSTM3D
from minilib.layers.rnn.gru import GRU, GRUCell
from minilib.layers.rnn.lstm import LSTM, LSTMCell
from minilib.layers.rnn.rnn import RNN
from minilib.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from minilib.layers.rnn.time_distributed import TimeDistributed

__all__ = ["GRU", "LSTM", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
           "GRUCell", "LSTMCell", "SimpleRNN", "SimpleRNNCell", "TimeDistributed"]
