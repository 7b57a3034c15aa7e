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
