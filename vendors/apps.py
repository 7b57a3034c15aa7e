from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Vendor market"

    def ready(self) -> None:
        from vendors import market_cache
        from vendors.models import (
            Certification,
            DeliveryCentre,
            DeliveryModel,
            Process,
            Vendor,
            VendorCertification,
            VendorProcess,
        )

        market_cache.connect(
            Vendor,
            DeliveryCentre,
            VendorCertification,
            VendorProcess,
            Certification,
            Process,
            DeliveryModel,
        )
