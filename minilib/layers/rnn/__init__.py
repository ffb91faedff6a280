"""Sequence layers: embeddings, recurrent networks and masking."""

from minilib.layers.rnn.bidirectional import Bidirectional
from minilib.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from minilib.layers.rnn.embedding import Embedding
from minilib.layers.rnn.gru import GRU, GRUCell
from minilib.layers.rnn.lstm import LSTM, LSTMCell
from minilib.layers.rnn.masking import Masking
from minilib.layers.rnn.rnn import RNN
from minilib.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from minilib.layers.rnn.time_distributed import TimeDistributed

__all__ = ["GRU", "LSTM", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
           "Embedding", "GRUCell", "LSTMCell", "Masking", "SimpleRNN", "SimpleRNNCell",
           "TimeDistributed"]
