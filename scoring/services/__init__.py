"""Writes on evaluations: each service is one business action in a transaction, called by views,
commands and tests alike. Domain errors carry a message a person can act on.

One module per area (setup, candidates and quotes, scores, approval); import from here.
"""

from scoring.services.ahp import (
    AhpStart,
    ahp_criteria,
    ahp_save,
    ahp_start,
    evaluation_criteria,
)
from scoring.services.approval import (
    ApprovalError,
    evaluation_approve,
    evaluation_reject,
    evaluation_submit,
)
from scoring.services.baseline import baseline_clear, baseline_save
from scoring.services.candidates import (
    MAX_CANDIDATES,
    candidate_exclude,
    candidate_remove,
    candidates_add,
    quote_save,
)
from scoring.services.common import (
    CENT,
    EDITABLE_FIELDS,
    QUOTE_FIELDS,
    WEIGHT_TOLERANCE,
    SetupError,
    StaleEdit,
)
from scoring.services.criteria import (
    addable_criteria,
    criterion_add,
    criterion_add_own,
    criterion_drop,
    criterion_rename,
    measurement_save,
    profile_save,
)
from scoring.services.scores import (
    ScoreError,
    score_save,
)
from scoring.services.setup import (
    evaluation_create,
    evaluation_update,
    rounded_percentages,
    starting_weights,
    team_set,
    weights_save,
    what_if_save,
)
from scoring.services.team import (
    TeamError,
    consensus_save,
    scores_open,
    sheet_reopen,
    sheet_submit,
)

__all__ = [
    "CENT",
    "EDITABLE_FIELDS",
    "MAX_CANDIDATES",
    "QUOTE_FIELDS",
    "WEIGHT_TOLERANCE",
    "AhpStart",
    "ApprovalError",
    "ScoreError",
    "SetupError",
    "StaleEdit",
    "TeamError",
    "addable_criteria",
    "ahp_criteria",
    "ahp_save",
    "ahp_start",
    "baseline_clear",
    "baseline_save",
    "candidate_exclude",
    "candidate_remove",
    "candidates_add",
    "consensus_save",
    "criterion_add",
    "criterion_add_own",
    "criterion_drop",
    "criterion_rename",
    "evaluation_approve",
    "evaluation_create",
    "evaluation_criteria",
    "evaluation_reject",
    "evaluation_submit",
    "evaluation_update",
    "measurement_save",
    "profile_save",
    "quote_save",
    "rounded_percentages",
    "score_save",
    "scores_open",
    "sheet_reopen",
    "sheet_submit",
    "starting_weights",
    "team_set",
    "weights_save",
    "what_if_save",
]
