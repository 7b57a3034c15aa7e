"""The vendor market over the API: reference lists, vendors (the directory's filters), market
quotes and exchange rates. Reads for every role; writes (bulk upserts through the importer) for
vendor admins."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from api import bulk
from api.auth import HasRole, MarketWrite
from api.serializers import (
    BulkRejectionSerializer,
    BulkResultSerializer,
    BulkSerializer,
    CertificationSerializer,
    DeliveryModelSerializer,
    ErrorSerializer,
    ExchangeRateSerializer,
    ProcessSerializer,
    QuoteSerializer,
    VendorSerializer,
)
from vendors.filters import VendorFilter
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    ExchangeRate,
    Process,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)


class Cursor(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        # DRF answers a mangled cursor with 404; it is a bad parameter of a list that exists.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({"cursor": [str(exc.detail)]}) from exc


class ByName(Cursor):
    ordering = ("name",)  # unique, so the cursor needs no offset


class ById(Cursor):
    ordering = ("id",)


class ApiVendorFilter(VendorFilter):
    """The directory's filters; the order is the cursor's (by name), so no ordering parameter.
    The type hints tell the schema that process, delivery model and certification take ids."""

    def offering_process(self, queryset, name, value: int):
        return super().offering_process(queryset, name, value)

    def delivering_from(self, queryset, name, value: int):
        return super().delivering_from(queryset, name, value)

    def valid_certification(self, queryset, name, value: int):
        return super().valid_certification(queryset, name, value)


ApiVendorFilter.base_filters.pop("ordering")


def vendors_with_lists():
    return Vendor.objects.prefetch_related(
        Prefetch(
            "centres",
            queryset=DeliveryCentre.objects.select_related("delivery_model"),
            to_attr="centre_list",
        ),
        Prefetch(
            "vendor_certifications",
            queryset=VendorCertification.objects.select_related("certification"),
            to_attr="certification_list",
        ),
        Prefetch(
            "offered_processes",
            queryset=VendorProcess.objects.select_related("process"),
            to_attr="process_list",
        ),
    )


class ProcessList(generics.ListAPIView):
    """The process catalogue."""

    permission_classes = [HasRole]
    serializer_class = ProcessSerializer
    queryset = Process.objects.all()


class DeliveryModelList(generics.ListAPIView):
    permission_classes = [HasRole]
    serializer_class = DeliveryModelSerializer
    queryset = DeliveryModel.objects.all()


class CertificationList(generics.ListAPIView):
    permission_classes = [HasRole]
    serializer_class = CertificationSerializer
    queryset = Certification.objects.all()


BULK_RESPONSES = {200: BulkResultSerializer, 400: BulkRejectionSerializer, 403: ErrorSerializer}


class _BulkUpsert:
    """POST: upsert up to 1,000 items of one import kind, all or nothing."""

    kind = ""

    @extend_schema(request=BulkSerializer, responses=BULK_RESPONSES)
    def post(self, request):
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return bulk.upsert(
            self.kind,
            data.validated_data["items"],
            user=request.user,
            confirm_deletions=data.validated_data["confirm_deletions"],
        )


class VendorList(_BulkUpsert, generics.ListAPIView):
    """Active vendors, filtered like the directory, by name; POST upserts vendors by name with
    their processes, certifications and centres (the import file's columns)."""

    kind = "vendors"
    permission_classes = [MarketWrite]
    serializer_class = VendorSerializer
    pagination_class = ByName
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiVendorFilter

    def get_queryset(self):
        return vendors_with_lists().filter(is_active=True)


class VendorDetail(generics.RetrieveAPIView):
    """One vendor, active or not (old evaluations still name inactive ones)."""

    permission_classes = [HasRole]
    serializer_class = VendorSerializer

    def get_queryset(self):
        return vendors_with_lists()


class MarketQuoteList(_BulkUpsert, generics.ListAPIView):
    """Market quotes (list prices, not tied to an evaluation); POST upserts them, keyed by vendor,
    process, delivery model and pricing model."""

    kind = "quotes"
    permission_classes = [MarketWrite]
    serializer_class = QuoteSerializer
    pagination_class = ById

    queryset = Quote.objects.filter(evaluation__isnull=True).select_related("delivery_model")


class ExchangeRateList(_BulkUpsert, generics.ListAPIView):
    """Exchange rates; POST upserts them, keyed by currency, base currency and date."""

    kind = "rates"
    permission_classes = [MarketWrite]
    serializer_class = ExchangeRateSerializer
    pagination_class = ById
    queryset = ExchangeRate.objects.all()
