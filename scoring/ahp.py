"""AHP (analytic hierarchy process): criterion weights from Saaty pairwise comparisons.

The analyst answers "how much more important is A than B?" on Saaty's 1..9 scale; the weights
are the principal eigenvector of that matrix and the consistency ratio (CR) flags contradictory
answers. Pure numpy/pandas; re-exported by scoring.engine, where callers find it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Saaty's random consistency index for n = 1..15.
RANDOM_INDEX = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
# Relative slack for reciprocity and the 1/9..9 bounds, so that 0.33 typed for 1/3 passes.
_AHP_RTOL = 0.02


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of a pairwise-comparison matrix.

    ``worst_pair`` is the judgement that disagrees most with the derived weights
    (largest |ln(a_ij * w_j / w_i)|); start there when ``consistent`` is False.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float
    consistent: bool
    worst_pair: tuple[str, str] | None


def _ahp_labels(matrix: object, n: int, labels: Sequence[str] | None) -> list:
    if labels is None:
        if isinstance(matrix, pd.DataFrame):
            return list(matrix.index)
        return [f"c{i + 1}" for i in range(n)]
    labels = list(labels)
    if len(labels) != n:
        raise ValueError(f"Got {len(labels)} labels for a {n}x{n} matrix.")
    if len(set(labels)) != n:
        raise ValueError("AHP labels must be unique.")
    return labels


def _check_ahp_matrix(a: np.ndarray, labels: list) -> None:
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            v = float(a[i, j])
            pair = f"({labels[i]!r}, {labels[j]!r})"
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"Judgement {pair} must be a positive number, got {v!r}.")
            if i == j and abs(v - 1) > _AHP_RTOL:
                raise ValueError(f"Diagonal entry {pair} must be 1, got {v!r}.")
            if v < (1 / 9) * (1 - _AHP_RTOL) or v > 9 * (1 + _AHP_RTOL):
                raise ValueError(f"Judgement {pair} = {v!r} is outside Saaty's scale 1/9..9.")
            if j > i and abs(v * a[j, i] - 1) > _AHP_RTOL:
                raise ValueError(
                    f"Matrix is not reciprocal at {pair}: {v:g} x {float(a[j, i]):g} != 1."
                )


def ahp_weights(
    matrix: np.ndarray | pd.DataFrame, labels: Sequence[str] | None = None
) -> AhpResult:
    """Priority weights (principal eigenvector) and Saaty consistency of a comparison matrix.

    ``matrix[i, j]`` = how much more important criterion i is than j (1..9, reciprocals below
    the diagonal). Supports n = 1..15 (Saaty's random-index table).
    """
    a = np.asarray(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"AHP matrix must be square and non-empty, got shape {a.shape}.")
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise ValueError(f"AHP supports at most {len(RANDOM_INDEX)} criteria, got {n}.")
    names = _ahp_labels(matrix, n, labels)
    _check_ahp_matrix(a, names)

    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vec = np.abs(eigenvectors[:, k].real)
    w = vec / vec.sum()

    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n - 1] if n > 2 else 0.0

    worst = None
    if n > 1:
        deviation = np.abs(np.log(a * w[None, :] / w[:, None]))
        upper = np.triu(deviation, k=1)
        i, j = np.unravel_index(int(np.argmax(upper)), upper.shape)
        worst = (names[i], names[j])
    return AhpResult(
        weights=pd.Series(w, index=pd.Index(names), name="weight"),
        lambda_max=lambda_max,
        ci=float(ci),
        cr=float(cr),
        consistent=bool(cr <= 0.10),
        worst_pair=worst,
    )


def ahp_matrix(labels: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> np.ndarray:
    """Reciprocal matrix from judgements {(a, b): how much more important a is than b}.

    Every unordered pair of distinct labels needs exactly one judgement (either orientation,
    or both if they are reciprocal).
    """
    labels = list(labels)
    if len(set(labels)) != len(labels):
        raise ValueError("AHP labels must be unique.")
    pos = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    a = np.eye(n)
    seen = np.eye(n, dtype=bool)
    for (left, right), value in judgements.items():
        for label in (left, right):
            if label not in pos:
                raise ValueError(f"Judgement ({left!r}, {right!r}) names unknown label {label!r}.")
        v = float(value)
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"Judgement ({left!r}, {right!r}) must be positive, got {value!r}.")
        i, j = pos[left], pos[right]
        if i == j:
            if abs(v - 1) > _AHP_RTOL:
                raise ValueError(f"Judgement ({left!r}, {right!r}) compares a label with itself.")
            continue
        if seen[i, j] and abs(a[i, j] - v) > _AHP_RTOL * max(v, a[i, j]):
            raise ValueError(
                f"Contradictory judgements for ({left!r}, {right!r}): {a[i, j]!r} and {v!r}."
            )
        a[i, j], a[j, i] = v, 1 / v
        seen[i, j] = seen[j, i] = True
    missing = [(labels[i], labels[j]) for i in range(n) for j in range(i + 1, n) if not seen[i, j]]
    if missing:
        raise ValueError(f"Missing judgement(s) for {', '.join(map(repr, missing))}.")
    return a


# --------------------------------------------------------------------------------------------------
# Saaty's scale as slider positions, and judgements derived from weights
# --------------------------------------------------------------------------------------------------

# A judgement is a position -8..8 on Saaty's scale: 0 = equally important, +k = the left-hand
# criterion is k+1 times as important as the right-hand one, -k = the right-hand one is.
SCALE_POSITIONS = tuple(range(-8, 9))


def position_value(position: int) -> float:
    """The matrix entry a_ij of a scale position: 1/9 .. 1 .. 9."""
    if position not in SCALE_POSITIONS:
        raise ValueError(f"Scale position {position!r} is outside -8..8 (Saaty's 1/9..9).")
    return float(position + 1) if position >= 0 else 1 / (1 - position)


def snap_position(ratio: float) -> int:
    """The scale position nearest to a ratio w_i / w_j, measured on a log scale (ratios past 9
    or 1/9 snap to the ends)."""
    if not np.isfinite(ratio) or ratio <= 0:
        raise ValueError(f"A ratio of weights must be positive, got {ratio!r}.")
    target = np.log(ratio)
    return min(SCALE_POSITIONS, key=lambda p: (abs(np.log(position_value(p)) - target), abs(p)))


Pair = tuple[str, str]


def pairs_of(labels: Sequence[str]) -> list[Pair]:
    """The upper triangle of the matrix: each unordered pair once, in label order."""
    labels = list(labels)
    return [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]]


def judgements_from_weights(weights: Mapping[str, float]) -> dict[Pair, int]:
    """The judgement each pair's weight ratio implies, snapped to the scale (pairs in key order)."""
    for label, weight in weights.items():
        if not np.isfinite(weight) or weight <= 0:
            raise ValueError(f"Weight of {label!r} must be positive to take part, got {weight!r}.")
    return {(a, b): snap_position(weights[a] / weights[b]) for a, b in pairs_of(list(weights))}


@dataclass(frozen=True)
class Revision:
    """The judgement to revisit first: what was said and the position the derived weights imply."""

    pair: Pair
    given: int
    suggested: int


@dataclass(frozen=True)
class AhpCheck:
    result: AhpResult
    revision: Revision | None  # None when consistent (CR <= 0.10) or nothing would change


def check_judgements(labels: Sequence[str], positions: Mapping[Pair, int]) -> AhpCheck:
    """Weights and CR of scale positions for every pair of ``labels`` (either orientation), and
    the worst pair with its suggested position when the judgements are inconsistent: the ratio
    the other judgements imply for it (geometric mean of a_ik * a_kj over the other criteria)."""
    labels = list(labels)
    values = {pair: position_value(int(p)) for pair, p in positions.items()}
    a = ahp_matrix(labels, values)
    result = ahp_weights(a, labels)
    revision = None
    if not result.consistent and result.worst_pair is not None:
        i, j = (labels.index(label) for label in result.worst_pair)
        others = [k for k in range(len(labels)) if k not in (i, j)]
        implied = float(np.exp(np.mean([np.log(a[i, k] * a[k, j]) for k in others])))
        given = snap_position(float(a[i, j]))
        suggested = snap_position(implied)
        if suggested != given:
            revision = Revision(pair=result.worst_pair, given=given, suggested=suggested)
    return AhpCheck(result=result, revision=revision)
