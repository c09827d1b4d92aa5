"""core.lstm_step computes exactly nn.LSTM's cell."""
import pytest
import torch

from core.lstm_step import lstm_step


@pytest.mark.parametrize("layers,bias", [(1, True), (3, True), (2, False)])
def test_matches_nn_lstm(layers, bias):
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(5, 7, num_layers=layers, bias=bias, batch_first=True)
    x = torch.randn(4, 3, 5)
    ref, (h_ref, c_ref) = lstm(x)
    state = None
    for t in range(3):
        h, state = lstm_step(lstm, x[:, t], state)
        torch.testing.assert_close(h, ref[:, t])
    torch.testing.assert_close(state[0], h_ref)
    torch.testing.assert_close(state[1], c_ref)


def test_rejects_bidirectional():
    with pytest.raises(ValueError, match="unidirectional"):
        lstm_step(torch.nn.LSTM(2, 3, bidirectional=True), torch.randn(1, 2))
