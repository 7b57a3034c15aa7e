"""Evaluations over the API, under the one access policy (scoring.access): another team's
evaluation is 404, a change the user may not make 403. Writes call the views' services."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.market import ById
from api.serializers import (
    CandidateSerializer,
    ConflictSerializer,
    ErrorSerializer,
    EvaluationQuoteWriteSerializer,
    EvaluationSerializer,
    QuoteSerializer,
    ScoreSerializer,
    ScoreWriteSerializer,
    WeightsSerializer,
)
from scoring import services
from scoring.access import (
    evaluation_for_edit,
    evaluation_for_user,
    scores_hidden_from,
    visible_evaluations,
)
from scoring.models import Criterion, EvaluationWeight, Score
from scoring.reports import decision_for
from scoring.reports.snapshot import to_snapshot
from vendors.models import Quote, Vendor

# 400 is documented for every operation (api.schema): a rule's message or the fields' errors.
WRITE_ERRORS = {403: ErrorSerializer, 404: ErrorSerializer}


class EvaluationList(generics.ListAPIView):
    """The evaluations you may see: your team's (analysts), every one (managers)."""

    serializer_class = EvaluationSerializer
    pagination_class = ById

    def get_queryset(self):
        return visible_evaluations(self.request.user).prefetch_related("team")


class EvaluationDetail(generics.RetrieveAPIView):
    serializer_class = EvaluationSerializer

    def get_queryset(self):
        return visible_evaluations(self.request.user).prefetch_related("team")


class CandidateList(generics.ListAPIView):
    """Every candidate with the reason when it is excluded."""

    serializer_class = CandidateSerializer

    def get_queryset(self):
        evaluation = evaluation_for_user(self.request, self.kwargs["pk"])
        return evaluation.candidates.select_related("vendor").order_by("vendor__name")


class EvaluationQuoteList(generics.ListAPIView):
    """The quotes the candidates sent for this evaluation."""

    serializer_class = QuoteSerializer

    def get_queryset(self):
        evaluation = evaluation_for_user(self.request, self.kwargs["pk"])
        return Quote.objects.filter(evaluation=evaluation).select_related("delivery_model")


class EvaluationQuote(APIView):
    """One candidate's quote for this evaluation; PUT creates or replaces it (team, while editable).
    Optimistic lock: send the quote's version you read (0 to create it); 409 with the current one."""

    def _quote(self, evaluation, vendor_pk: int) -> Quote:
        quote = Quote.objects.filter(evaluation=evaluation, vendor_id=vendor_pk).first()
        if quote is None:
            raise Http404("This vendor has sent no quote for this evaluation.")
        return quote

    @extend_schema(responses={200: QuoteSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int, vendor_pk: int):
        evaluation = evaluation_for_user(request, pk)
        return Response(QuoteSerializer(self._quote(evaluation, vendor_pk)).data)

    @extend_schema(
        request=EvaluationQuoteWriteSerializer,
        responses={200: QuoteSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    def put(self, request, pk: int, vendor_pk: int):
        evaluation = evaluation_for_edit(request, pk)
        vendor = Vendor.objects.filter(pk=vendor_pk).first()
        if vendor is None:
            raise Http404("No such vendor.")
        data = EvaluationQuoteWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expected = fields.pop("version")
        quote = services.quote_save(
            evaluation=evaluation, vendor=vendor, expected_version=expected, **fields
        )
        return Response(QuoteSerializer(quote).data)


class ScoreList(APIView):
    """Scores as blind scoring lets you see them: your own until the team's are open to you.
    POST sets your own score of one vendor on one criterion (empty value: deletes it); send the
    score's version you read (0 when you have none): another answers 409 with the current one."""

    @extend_schema(responses={200: ScoreSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        scores = Score.objects.filter(evaluation=evaluation).select_related(
            "criterion", "evaluator"
        )
        if scores_hidden_from(request.user, evaluation):
            scores = scores.filter(evaluator=request.user)
        scores = scores.order_by("vendor_id", "criterion__order", "evaluator__username")
        return Response(ScoreSerializer(scores, many=True).data)

    @extend_schema(
        request=ScoreWriteSerializer,
        responses={
            200: ScoreSerializer,
            204: OpenApiResponse(description="Your score was deleted."),
            409: ConflictSerializer,
            **WRITE_ERRORS,
        },
    )
    def post(self, request, pk: int):
        evaluation = evaluation_for_edit(request, pk)
        data = ScoreWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cell = data.validated_data
        vendor = Vendor.objects.filter(pk=cell["vendor"]).first()
        criterion = Criterion.objects.filter(key=cell["criterion"]).first()
        if vendor is None:
            raise services.ScoreError(f"There is no vendor with id {cell['vendor']}.")
        if criterion is None:
            raise services.ScoreError(f"There is no criterion with the key “{cell['criterion']}”.")
        score = services.score_save(
            evaluation=evaluation,
            evaluator=request.user,
            vendor=vendor,
            criterion=criterion,
            value=cell["value"],
            comment=cell["comment"],
            expected_version=cell["version"],
        )
        if score is None:
            return Response(status=204)
        score = Score.objects.select_related("criterion", "evaluator").get(pk=score.pk)
        return Response(ScoreSerializer(score).data)


class Weights(APIView):
    """The criterion weights in percent with the evaluation's version; PUT replaces them all
    (optimistic lock: send the version you read; 409 with the current one if it moved on)."""

    @extend_schema(responses={200: WeightsSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        rows = EvaluationWeight.objects.filter(evaluation=evaluation).select_related("criterion")
        weights = {row.criterion.key: row.weight for row in rows}
        return Response(WeightsSerializer({"version": evaluation.version, "weights": weights}).data)

    @extend_schema(
        request=WeightsSerializer,
        responses={200: WeightsSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    def put(self, request, pk: int):
        evaluation = evaluation_for_edit(request, pk)
        data = WeightsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.weights_save(
            evaluation=evaluation,
            weights=data.validated_data["weights"],
            expected_version=data.validated_data["version"],
        )
        rows = EvaluationWeight.objects.filter(evaluation=saved).select_related("criterion")
        weights = {row.criterion.key: row.weight for row in rows}
        return Response(WeightsSerializer({"version": saved.version, "weights": weights}).data)


DECISION_DOC = (
    "The decision as the ranking page shows it, in the snapshot's shape "
    "(scoring/reports/snapshot.py): `schema`, `id`, `method`, `weights`, `candidates`, `tco`, "
    "`cells`, `ranking`, `warnings`, `sensitivity`, `inputs`. An approved evaluation answers its "
    "frozen decision."
)


class Ranking(APIView):
    @extend_schema(
        description=DECISION_DOC, responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer}
    )
    def get(self, request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        return Response(to_snapshot(decision_for(evaluation, request.user)))


class Snapshot(APIView):
    """What the approving manager signed: the snapshot stored at approval, as stored."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer})
    def get(self, request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        if not evaluation.snapshot:
            raise Http404(
                f"This evaluation is {evaluation.get_status_display().lower()}: only an approved "
                "one has a frozen snapshot."
            )
        return Response(evaluation.snapshot)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data  # never reached: the PDF is a plain response, errors are JSON (below)


class ReportPdf(APIView):
    """The archived recommendation PDF of an approved evaluation (the file its SHA-256 names)."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def handle_exception(self, exc):
        # A client that accepts the PDF still reads the reason there is none, as JSON.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (404, "application/json"): ErrorSerializer,
        }
    )
    def get(self, request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        if evaluation.report_file:
            try:
                with evaluation.report_file.open("rb") as stored:
                    data = stored.read()
            except FileNotFoundError:
                raise Http404("The archived PDF is missing from the file store.") from None
        elif evaluation.report_pdf:
            data = bytes(evaluation.report_pdf)
        else:
            raise Http404(
                "There is no archived PDF: it is written once the evaluation is approved "
                "(the report page renders drafts)."
            )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="evaluation-{evaluation.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
