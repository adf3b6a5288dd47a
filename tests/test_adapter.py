"""The members' adapter (bot/understanding/adapter.py, fitted by bench/fit_adapter.py): a linear map of a message's
vector that puts the right entry first more often on a base it was not fitted on; its ranking leads an offer; a
file that does not fit is refused by name, and one fitted on another model's vectors is not used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench import fit_adapter
from bot.understanding import adapter


def test_the_shipped_adapter_is_for_the_e5_model_only() -> None:
    matrix = adapter.load("e5")
    assert matrix is not None and matrix.shape == (384, 384) and matrix.dtype == np.float32
    assert adapter.load("use") is None  # another model's space: the map would mean nothing there


@pytest.mark.parametrize("broken", ["no matrix", "not square", "not finite", "not npz"])
def test_a_broken_adapter_file_is_refused_by_name(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "members.npz"
    if broken == "no matrix":
        np.savez(path, model=np.array("e5"))
    elif broken == "not square":
        np.savez(path, model=np.array("e5"), matrix=np.ones((3, 4), np.float32))
    elif broken == "not finite":
        np.savez(path, model=np.array("e5"), matrix=np.full((3, 3), np.nan, np.float32))
    else:
        path.write_text("matrix: identity", encoding="utf-8")
    with pytest.raises(ValueError, match=r"members\.npz: .*adapter"):
        adapter.load("e5", path)


def test_the_adapted_first_entry_leads_an_offer_or_takes_its_last_button() -> None:
    assert adapter.led([("fee", 0.9), ("join", 0.8)], ("join", "renew", "fee")) == ("fee", "join", "renew")
    assert adapter.led([("leave", 0.9)], ("join", "fee")) == ("join", "fee", "leave")  # not offered: the last
    assert adapter.led([("leave", 0.9)], ("join", "fee", "renew")) == ("join", "fee", "leave")
    assert adapter.led([], ("join",)) == ("join",)


def test_the_adapted_vector_is_a_unit_vector() -> None:
    moved = adapter.adapt(np.diag([2.0, 1.0]).astype(np.float32), np.array([0.6, 0.8], np.float32))
    assert np.isclose(np.linalg.norm(moved), 1.0) and moved[0] > 0.6


def _base(name: str, rng: np.random.Generator, distortion: np.ndarray, entries: int = 30) -> fit_adapter.BaseSamples:
    """A synthetic base: each entry one row; its members' questions are the row bent by `distortion`, plus noise,
    as members' wording bends the model's vectors the same way on every base."""
    dim = distortion.shape[0]
    rows = rng.normal(size=(entries, dim))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    right = np.repeat(np.arange(entries), 4)
    queries = rows[right] @ distortion.T + 0.15 * rng.normal(size=(len(right), dim))
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    mask = np.eye(entries, dtype=bool)
    return fit_adapter.BaseSamples(name, queries, right, ["en"] * len(right), rows, mask)


def test_fitting_on_some_bases_puts_the_right_entry_first_more_often_on_another() -> None:
    rng = np.random.default_rng(7)
    dim = 24
    turn, _ = np.linalg.qr(rng.normal(size=(dim, dim)))  # members' words turn the vectors away from the staff's
    distortion = 0.4 * np.eye(dim) + turn
    fitted_on = [_base(f"b{i}", rng, distortion) for i in range(3)]
    unseen = _base("new", rng, distortion)
    before = int(fit_adapter.first_right(None, unseen)["en"].split("/")[0])
    after = int(fit_adapter.first_right(fit_adapter.fit(fitted_on), unseen)["en"].split("/")[0])
    assert after > before + 5, (before, after)
