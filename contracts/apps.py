from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts and SLA scorecards"

    def ready(self) -> None:
        # The directory shows each vendor's SLA standing: these rows change it.
        from contracts.models import Contract, Kpi, KpiMeasurement, StandingPolicy
        from vendors import market_cache

        market_cache.connect(Contract, Kpi, KpiMeasurement, StandingPolicy)
