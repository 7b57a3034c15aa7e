"""Forms of the round (the team's side) and of the response (the vendor contact's side)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone

from scoring import quoting
from scoring.forms import CurrencyField
from scoring.models import Evaluation
from sourcing.compare import question_hint
from sourcing.models import Answer, Question, Questionnaire, Response, RfpRound
from sourcing.models_evidence import size_label
from sourcing.services import RESPONSE_QUOTE_FIELDS
from sourcing.services_evidence import allowed_label
from vendors.models import Certification, Vendor


class RoundForm(forms.ModelForm):
    class Meta:
        model = RfpRound
        fields = ["scope", "delivery_constraints", "sla_targets", "deadline", "questionnaire"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "delivery_constraints": forms.Textarea(attrs={"rows": 2}),
            "sla_targets": forms.Textarea(attrs={"rows": 2}),
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["deadline"].help_text = f"In {zone}. Responses are sealed until then."
        if self.instance.pk:
            self.initial["deadline"] = timezone.localtime(self.instance.deadline)
        else:  # a new round asks the due-diligence set unless the analyst picks none
            self.initial["questionnaire"] = Questionnaire.objects.order_by("pk").first()


class InvitationForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none(), label="Candidate vendor")
    email = forms.EmailField(label="Contact's e-mail")

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["vendor"]).queryset = Vendor.objects.filter(
            candidacies__evaluation=evaluation, candidacies__excluded_reason=""
        ).order_by("name")


class ResponseForm(forms.ModelForm):
    class Meta:
        model = Response
        fields = list(RESPONSE_QUOTE_FIELDS)
        labels = {
            "delivery_model": "Delivery model",
            "pricing_model": "Pricing model",
            "unit_price": "Unit price",
            "transition_fee": "One-time transition fee",
            "minimum_term_months": "Minimum term (months)",
            "service_level_pct": "Service level %",
            "quality_pct": "Quality %",
            "response_time_hours": "Response time (hours)",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    currency = CurrencyField(label="Currency", required=False)

    def __init__(self, *args, evaluation: Evaluation, vendor: Vendor, **kwargs):
        super().__init__(*args, **kwargs)
        models_field = cast(forms.ModelChoiceField, self.fields["delivery_model"])
        models_field.queryset = quoting.quote_delivery_models(evaluation, vendor)
        codes = quoting.iso_currencies()
        cast(forms.ChoiceField, self.fields["currency"]).choices = [("", "---------")] + [
            (code, f"{code} · {name}") for code, name in codes.items()
        ]


def _answer_field(question: Question) -> forms.Field:
    label = f"{question.text} (mandatory)" if question.mandatory else question.text
    help_text = " · ".join(part for part in (question.section, question_hint(question)) if part)
    if question.kind == Question.Kind.NUMBER:
        return forms.DecimalField(label=label, help_text=help_text, required=False)
    if question.kind in (Question.Kind.YES_NO, Question.Kind.CHOICE):
        if question.kind == Question.Kind.YES_NO:
            options = [("yes", "Yes"), ("no", "No")]
        else:  # as the questionnaire writes them ("EEA" must not become "eea")
            options = [(o, o) for o in question.options]
        choices = [("", "---------"), *options]
        return forms.ChoiceField(label=label, help_text=help_text, choices=choices, required=False)
    return forms.CharField(
        label=label, help_text=help_text, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswersForm(forms.Form):
    """One optional field per question of the round's questionnaire, named q<question id>."""

    def __init__(self, *args, questions: list[Question], answers: list[Answer], **kwargs):
        super().__init__(*args, **kwargs)
        given = {a.question_id: a.value for a in answers}
        for question in questions:
            if question.kind == Question.Kind.FILE:
                continue  # answered by uploading a document (EvidenceForm)
            name = f"q{question.pk}"
            self.fields[name] = _answer_field(question)
            self.initial[name] = given.get(question.pk, "")

    def answers(self) -> dict[int, object]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class EvidenceForm(forms.Form):
    """One document: the answer to a file question (``question`` set by the page), or a
    certificate (``certification`` and ``valid_until``)."""

    question = forms.IntegerField(required=False, widget=forms.HiddenInput)
    certification = forms.ModelChoiceField(
        queryset=Certification.objects.order_by("name"), required=False
    )
    valid_until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(label="Document")

    def __init__(self, *args, certificate: bool = False, **kwargs):
        # One page holds a form per file question and one for certificates: unique ids keep
        # every label on its own input.
        data = args[0] if args else kwargs.get("data")
        slot = (data or {}).get("question") or (kwargs.get("initial") or {}).get("question")
        kwargs.setdefault("auto_id", "id_certificate_%s" if certificate else f"id_q{slot}_doc_%s")
        super().__init__(*args, **kwargs)
        limit = size_label(settings.EVIDENCE_MAX_BYTES)
        self.fields["file"].help_text = f"{allowed_label()}; {limit} at most."
        if certificate:
            self.fields["certification"].required = True
            self.fields["valid_until"].required = True
            self.fields["file"].label = "Certificate file"
        else:
            del self.fields["certification"], self.fields["valid_until"]
