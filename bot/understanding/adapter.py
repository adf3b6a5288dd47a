"""The members' adapter: a linear map of a message's vector towards the staff questions it paraphrases.

The model (embedding.py) places a member's words and the staff question they mean further apart than it should where
the two are worded differently: colloquial against formal Chinese, English against Chinese, a member's situation
against a staff heading. A 384 x 384 matrix, fitted on the development paraphrases of four FAQ bases (each member
question against every entry of its own base: bench/fit_adapter.py), moves the message's vector before it is
compared with the knowledge's rows, which stay as they are. Fitted on three bases, it finds the right entry of the
fourth first more often than the model alone (each base left out in turn: bench/fit_adapter.py prints it).

Its ranking is one more reader's evidence, never the decision itself: the answer thresholds (thresholds.py) were
tuned on the model's own cosines and stay on them. Where the bot offers buttons, the adapted ranking's first entry
is put first (or takes the last button, where no other reader offered it), and sure offers (sure_offers.py) weigh
whether it leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.understanding.vectors import F32

if TYPE_CHECKING:
    from bot.understanding.meaning import Reading

DATA = Path(__file__).with_name("adapter.npz")


@cache
def load(model: str, path: Path = DATA) -> F32 | None:
    """The matrix for the embedding model named `model`, or None where the file was fitted on another model's
    vectors (the map means nothing in another space). A malformed file is refused by name at start-up."""
    try:
        with np.load(path) as raw:
            fitted_on = str(raw["model"])
            matrix = np.asarray(raw["matrix"], dtype=np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"{path}: not a usable adapter ({exc}): run bench/fit_adapter.py") from exc
    if fitted_on != model:
        return None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not np.isfinite(matrix).all():
        raise ValueError(f"{path}: the adapter is not a finite square matrix: run bench/fit_adapter.py")
    return matrix


def adapt(matrix: F32, vector: np.ndarray[Any, np.dtype[np.float32]]) -> F32:
    """The message's vector moved by the adapter, unit length again (the rows' cosines stay cosines)."""
    moved: F32 = matrix @ vector
    norm = float(np.linalg.norm(moved))
    return moved / norm if norm > 0 else vector


def ranking(reading: Reading, k: int = 3) -> list[tuple[str, float]]:
    """The best `k` entries for the message's vector moved by the reader's adapter; [] without one or a vector."""
    vec, matrix, vectors = reading.vector(), reading.reader.adapter, reading.reader.faq_vectors
    if vec is None or matrix is None or vectors is None:
        return []
    return vectors.best_by_owner(adapt(matrix, vec), k)


def led(adapted: Sequence[tuple[str, float]], offered: Sequence[str]) -> tuple[str, ...]:
    """The offer led by the adapted ranking's first entry: put first where it is among the entries offered (a member
    more often finds the right entry on the first button); where it is not, it takes the last of three buttons (on
    the development sets it was the right entry 15 times where the offer lacked it)."""
    if not adapted:
        return tuple(offered)
    top = adapted[0][0]
    if top in offered:
        return (top, *(o for o in offered if o != top))
    return (*offered[:2], top)
