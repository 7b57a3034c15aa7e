"""Per-evaluation inputs beside the scores: measured values and AHP judgements (re-exported by
scoring.models, where Django finds them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from scoring.models import Criterion, Evaluation
from vendors.models import Vendor


class Measurement(models.Model):
    """A measured criterion's value for one vendor, typed by the team.

    The seam for questionnaire answers (later RFP issue): ``source`` says where a value came from.
    """

    class Origin(models.TextChoices):
        TYPED = "typed", "Typed by the team"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="measurements"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="measurements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.TYPED)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor__name", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "vendor", "criterion"], name="one_measurement_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.criterion}: {self.value}"


class AhpJudgement(models.Model):
    """One pairwise comparison the evaluation's weights were derived from (AHP), kept to reopen."""

    # Saaty's scale as a position: 0 equal, +k: left is k+1 times as important, -k: right is.
    SCALE = [(p, f"{p + 1}" if p >= 0 else f"1/{1 - p}") for p in range(-8, 9)]

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="ahp_judgements"
    )
    left = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    position = models.SmallIntegerField("times as important (left vs right)", choices=SCALE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["left__order", "right__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "left", "right"], name="one_ahp_judgement_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=-8, position__lte=8), name="ahp_judgement_on_scale"
            ),
            models.CheckConstraint(
                condition=~Q(left=models.F("right")), name="ahp_judgement_of_two_criteria"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.left} vs {self.right} {self.get_position_display()}"
