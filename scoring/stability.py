"""Rank stability (the Monte-Carlo draws of the sensitivity panel) inside a page or on a worker.

A problem of at most INLINE_LIMIT ranked alternatives x draws is decided with its sensitivity in
the request (a few hundred milliseconds at most). A larger one is run by the task
``scoring.rank_stability``, whose result is cached under the decision's content id (its inputs,
weights and method), so every later view of the same decision, by anyone, is instant; the panel
shows the task's progress until then. The draws are the ones `decide` makes (same seed), so the
panel, the ranking page and the PDF agree.
"""

from __future__ import annotations

import dataclasses

from django.core.cache import cache

from scoring.decision import SCHEMA, STABILITY_DRAWS, Decision, decide
from scoring.reports.snapshot import decided_from_id

INLINE_LIMIT = 100_000  # ranked alternatives x draws: 50 vendors at 2,000 draws
CACHE_SECONDS = 7 * 24 * 3600  # a result is only ever replaced by a new key, never made stale
TASK_NAME = "scoring.rank_stability"


def is_large(decision: Decision) -> bool:
    return len(decision.ranking) * STABILITY_DRAWS > INLINE_LIMIT


def cache_key(decision: Decision) -> str:
    """Of a decision decided without its sensitivity: same inputs, weights and method, same key."""
    return f"stability:{SCHEMA}:{STABILITY_DRAWS}:{decided_from_id(decision)}"


def with_stability(decision: Decision, lines, stability, cost_risk=None) -> Decision:
    first = {line.vendor_id: line.first_share for line in stability}
    ranking = tuple(
        dataclasses.replace(row, first_share=first.get(row.vendor_id)) for row in decision.ranking
    )
    return dataclasses.replace(
        decision,
        sensitivity=lines,
        stability=stability,
        ranking=ranking,
        cost_risk=cost_risk if cost_risk is not None else decision.cost_risk,
    )


def cached(decision: Decision, key: str = "") -> Decision | None:
    found = cache.get(key or cache_key(decision))
    return None if found is None else with_stability(decision, *found)


def compute(decision: Decision, *, weights, method, key: str = "") -> Decision:
    """The decision with its sensitivity, decided again from the same inputs; cached."""
    full = decide(decision.inputs, weights=weights, method=method, sensitivity=True)
    if len(full.ranking) >= 2:
        # The cost-risk futures are drawn with it (its first places use the same weight draws).
        found = (full.sensitivity, full.stability, full.cost_risk)
        cache.set(key or cache_key(decision), found, CACHE_SECONDS)
    return full


def drawn(decision: Decision) -> Decision:
    """`decision` (decided without its sensitivity, with its stored weights and method) with its
    draws: the cached ones, else drawn now (and cached)."""
    return cached(decision) or compute(decision, weights=None, method=None)


def page_decision(decision: Decision, *, weights, method, key: str = "") -> tuple[Decision, bool]:
    """`decision` (decided without sensitivity) with its stability when a page may have it now,
    and whether a task is needed for it (a large problem not cached yet). `key`: its cache_key,
    when the caller has it already."""
    if decision.stability or len(decision.ranking) < 2:  # frozen at approval, or nothing to draw
        return decision, False
    key = key or cache_key(decision)
    found = cached(decision, key)
    if found is not None:
        return found, False
    if not is_large(decision):
        # Cached too: the ranking page, its what-if and its sensitivity panel draw the same
        # 2,000 weights for the same decision, and a reload need not draw them again.
        return compute(decision, weights=weights, method=method, key=key), False
    return decision, True


def run_cache_key(decision: Decision, user) -> str:
    """Where the run computing `decision`'s stability for `user` is noted (one run, not one per view)."""
    return f"{cache_key(decision)}:run:{user.pk}"
