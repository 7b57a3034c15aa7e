"""The migration that adds the scoring scale keeps existing evaluations relative (nothing moves under
people's feet) while new evaluations default to absolute."""

import importlib

from django.db import migrations

from scoring.models import Evaluation

MIGRATION = importlib.import_module("scoring.migrations.0006_criteria_per_evaluation").Migration


def _ops(kind, model):
    return [
        op
        for op in MIGRATION.operations
        if isinstance(op, kind) and op.model_name == model and op.name == "scale"
    ]


def test_existing_rows_get_relative_and_the_field_then_defaults_to_absolute():
    for model in ("evaluation", "historicalevaluation"):
        (added,) = _ops(migrations.AddField, model)
        (altered,) = _ops(migrations.AlterField, model)
        assert added.field.default == "relative"
        assert altered.field.default == "absolute"
        ops = MIGRATION.operations
        assert ops.index(added) < ops.index(altered)
    assert Evaluation._meta.get_field("scale").default == Evaluation.Scale.ABSOLUTE
