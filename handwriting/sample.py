"""Sampling handwriting from the synthesis network: bias, style priming, end-of-text stopping, line wrapping."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import torch

from mdn.mixture import sample as mdn_sample
from mdn.mixture import split_params

from .alphabet import encode_text

MAX_LINE_CHARS = 48  # the shipped model was trained on lines of at most 40 characters
POINTS_PER_CHAR_CAP = 40  # hard cap on pen points per character if the window never leaves the text
END_RATIO = 0.2  # also stop at a pen-up on the last character once phi past the text reaches this share of it


@dataclass
class Line:
    """One written line: text, pen offsets in corpus units (N, 3), attention phi (N, len(text))."""

    text: str
    offsets: np.ndarray
    phi: np.ndarray


def wrap_text(text: str, width: int = 40) -> list[str]:
    """Split text into lines of at most `width` characters at word boundaries; blank lines dropped."""
    lines = []
    for para in text.replace("\r\n", "\n").split("\n"):
        lines += textwrap.wrap(para.strip(), width=width, break_long_words=True) if para.strip() else []
    return lines


def _onehot(text: str, alphabet_size: int, device) -> torch.Tensor:
    ids = torch.from_numpy(encode_text(text)).to(device)
    return torch.nn.functional.one_hot(ids, alphabet_size).float().unsqueeze(0)  # (1, U, V)


@torch.inference_mode()
def write_line(
    model,
    text: str,
    scale: float,
    generator: torch.Generator,
    bias: float = 1.0,
    temperature: float = 1.0,
    prime=None,
) -> Line:
    """Sample pen offsets for one line of `text`; `prime` is a StrokeSample whose style is continued.

    Stops when the window has moved past the last character (phi at position U exceeds phi at every
    character, section 5.3 of Graves 2013) or after POINTS_PER_CHAR_CAP points per character.
    """
    encode_text(text)  # raises ValueError listing unsupported characters
    if not text.strip():
        raise ValueError("nothing to write: the line is empty")
    if len(text) > MAX_LINE_CHARS:
        raise ValueError(f"line is {len(text)} characters; split it (at most {MAX_LINE_CHARS} per line)")
    device = next(model.parameters()).device
    V = model.config.alphabet_size
    full = text if prime is None else f"{prime.text} {text}"
    onehot = _onehot(full, V, device)  # (1, U, V)
    U, skip = onehot.shape[1], 0 if prime is None else len(prime.text) + 1
    state = model.init_state(1, device)
    x = torch.tensor([[[0.0, 0.0, 1.0]]], device=device)  # (1, 1, 3) pen-up start token
    if prime is not None:
        p = torch.from_numpy(np.asarray(prime.offsets, np.float32)).to(device)
        p = torch.cat([p[:, :2] / scale, p[:, 2:]], dim=1).unsqueeze(0)  # (1, P, 3)
        _, _, state = model.run(torch.cat([x, p[:, :-1]], dim=1), onehot, state, extra_positions=1)
        x = p[:, -1:]
    points, phis = [], []
    for _ in range(POINTS_PER_CHAR_CAP * len(text)):
        y_hat, phi, state = model.run(x, onehot, state, extra_positions=1)  # (1, 1, 6M+1), (1, 1, U+1)
        params = split_params(y_hat[:, -1].float(), bias=bias)
        x = mdn_sample(params, generator, temperature).view(1, 1, 3)  # (1, 1, 3)
        points.append(x[0, 0].cpu().numpy())
        phis.append(phi[0, 0, skip:].cpu().numpy())
        ph = phi[0, 0]
        if ph[U] > ph[:U].max() and len(points) > 1:
            break
        if x[0, 0, 2] > 0.5 and ph[:U].argmax() == U - 1 and ph[U] > END_RATIO * ph[U - 1]:
            break  # the last character's final stroke ended as the window starts to leave the text
    offsets = np.stack(points).astype(np.float32)
    offsets[-1, 2] = 1.0  # lift the pen at the end of the line
    offsets[:, :2] *= scale
    return Line(text, offsets, np.stack(phis)[:, : len(text)])


def write(model, text: str, scale: float, seed: int = 0, bias: float = 1.0, temperature: float = 1.0,
          prime=None, width: int = 40) -> list[Line]:
    """Write possibly multi-line text: wrap into lines of <= width characters, one sampled line each."""
    encode_text(text.replace("\n", " ").replace("\r", ""))  # report every unsupported character up front
    lines = wrap_text(text, width)
    if not lines:
        raise ValueError("nothing to write: the text is empty")
    gen = torch.Generator().manual_seed(int(seed))
    return [write_line(model, line, scale, gen, bias, temperature, prime) for line in lines]
