"""torch's fused recurrent kernels, called on Keras-layout weights: the fast path of the RNNs.

The readable definition of LSTM, GRU and SimpleRNN is their cell (`LSTMCell.call`, ...)
looped over the time steps by `RNN._loop`. Looping in Python costs a few small torch calls
per step, forwards and backwards. So when nothing needs the loop (no mask, no recurrent
dropout, torch's activations), the layer hands the whole sequence to one of torch's fused
kernels instead (`torch.lstm`, `torch.gru`, `torch.rnn_tanh`, `torch.rnn_relu`), which loop
in C++. They compute the same thing: `tests/layers/test_fused_matches_readable.py` checks
the outputs, the final states and every gradient against the cell loop. To run the
readable loop anyway (to step through it, say), set `layer.use_fused_kernel = False`.

The functions here only translate. torch's kernels take, for one layer, the weights
`[weight_ih, weight_hh, bias_ih, bias_hh]`: the transposes of Keras's `kernel` and
`recurrent_kernel`, and two biases that are added (Keras has one; the other is zeros).
GRU also orders its gates differently (see `gru_sequence`).

>>> x, h = torch.ones(2, 5, 3), torch.zeros(2, 4)          # 2 sequences of 5 steps
>>> kernel, recurrent_kernel, bias = torch.ones(3, 4), torch.eye(4), torch.zeros(4)
>>> outputs, h = simple_rnn_sequence(sequences=x, h=h, kernel=kernel,
...     recurrent_kernel=recurrent_kernel, bias=bias, activation=activations.relu,
...     go_backwards=False)
>>> outputs[0, :, 0]                                       # h_t = relu(3 + h_{t-1})
tensor([ 3.,  6.,  9., 12., 15.])
"""

import torch

from minilib import activations

SIMPLE_RNN_KERNELS = {activations.tanh: torch.rnn_tanh, activations.relu: torch.rnn_relu}


def lstm_sequence(*, sequences, h, c, kernel, recurrent_kernel, bias, go_backwards):
    """An LSTM over `sequences` `(batch, steps, features)` from states `h`, `c`, by `torch.lstm`.

    Returns `(outputs, h, c)`: every step's output `(batch, steps, units)`, in the order
    the steps were processed, and the final states `(batch, units)`. torch orders the
    gates i, f, g, o as Keras does, so the weights are only transposed.
    """
    outputs, h, c = _run_fused_kernel(
        torch.lstm, sequences=sequences, states=(h.unsqueeze(0), c.unsqueeze(0)),
        weights=_torch_weights(kernel, recurrent_kernel, bias), go_backwards=go_backwards)
    return outputs, h[0], c[0]


def gru_sequence(*, sequences, h, kernel, recurrent_kernel, bias, go_backwards):
    """A GRU with `reset_after=True` over `sequences` from state `h`, by `torch.gru`.

    Returns `(outputs, h)`. torch computes the reset_after form too, but orders the gate
    blocks r, z, n where Keras has z, r, h, so every weight is reordered; its two biases
    are the rows of Keras's `(2, 3 * units)` bias (input, recurrent).
    """
    units = h.shape[-1]
    weights = [_keras_to_torch_gates(kernel, units).T,
               _keras_to_torch_gates(recurrent_kernel, units).T]
    if bias is not None:
        weights += list(_keras_to_torch_gates(bias, units))
    outputs, h = _run_fused_kernel(torch.gru, sequences=sequences, states=h.unsqueeze(0),
                                   weights=weights, go_backwards=go_backwards)
    return outputs, h[0]


def simple_rnn_sequence(*, sequences, h, kernel, recurrent_kernel, bias, activation,
                        go_backwards):
    """A SimpleRNN over `sequences` from state `h`, by `torch.rnn_tanh` or `torch.rnn_relu`.

    Returns `(outputs, h)`. `activation` is `activations.tanh` or `activations.relu`,
    the two that torch has a kernel for (`SIMPLE_RNN_KERNELS`).
    """
    outputs, h = _run_fused_kernel(
        SIMPLE_RNN_KERNELS[activation], sequences=sequences, states=h.unsqueeze(0),
        weights=_torch_weights(kernel, recurrent_kernel, bias), go_backwards=go_backwards)
    return outputs, h[0]


def _run_fused_kernel(fused_kernel, *, sequences, states, weights, go_backwards):
    """Call one of torch's recurrent kernels for a single layer, one direction, batch first."""
    if go_backwards:  # the kernel reads forwards: feed it the steps from last to first
        sequences = sequences.flip(1)
    return fused_kernel(
        input=sequences,
        hx=states,                      # each (num_layers=1, batch, units)
        params=weights,                 # [weight_ih, weight_hh] (+ [bias_ih, bias_hh])
        has_biases=len(weights) == 4,
        num_layers=1,
        dropout=0.0,                    # dropout between stacked layers: there is one layer
        train=False,                    # only switches that dropout on
        bidirectional=False,            # Bidirectional runs two layers instead
        batch_first=True)               # (batch, steps, features), Keras's layout


def _torch_weights(kernel, recurrent_kernel, bias):
    """torch's `[weight_ih, weight_hh, bias_ih, bias_hh]` from Keras's one-bias layout.

    The transposes are copied into torch's own memory layout: on CPU the kernel runs a few
    percent faster on them than on transposed views, more than the copies cost.
    """
    weights = [kernel.T.contiguous(), recurrent_kernel.T.contiguous()]
    if bias is not None:
        weights += [bias, torch.zeros_like(bias)]
    return weights


def _keras_to_torch_gates(weight, units):
    """Reorder the last axis from Keras's z, r, h blocks to torch's r, z, n."""
    z, r, h = weight.split(units, dim=-1)
    return torch.cat([r, z, h], dim=-1)
