"""Load fictional demo data: a vendor market, demo users, three evaluations and a running contract.

Deterministic (fixed seed) and idempotent: running it twice leaves the same rows. `--vendors N` adds N
synthetic vendors with quotes, in bulk, for benchmarks.
"""

import random

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bpo_select.demo.contracts import seed_contracts
from bpo_select.demo.evaluations import seed_evaluations
from bpo_select.demo.market import (
    DEMO_PASSWORD,
    DEMO_USERS,
    SEED,
    seed_exchange_rates,
    seed_market,
    seed_synthetic_vendors,
    seed_users,
)
from bpo_select.demo.sourcing import CONTACT_USERNAME, seed_rfp_round
from scoring.models import Evaluation
from vendors.market_cache import market_changed
from vendors.models import (
    Quote,
    Vendor,
)

__all__ = ["DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = "Load deterministic demo data (idempotent). --vendors N adds N synthetic vendors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--vendors", type=int, default=0, help="Add N synthetic vendors with quotes."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when vendors already exist."
        )

    def handle(self, *args, vendors: int, if_empty: bool, **options):
        if if_empty and Vendor.objects.exists():
            self.stdout.write("Vendors exist already; demo data not loaded.")
            return
        rng = random.Random(SEED)
        with transaction.atomic():
            users = seed_users()
            seed_exchange_rates()
            market = seed_market(rng)
            seed_evaluations(rng, users, market)
            seed_contracts(users)
            seed_rfp_round(users)
        if vendors:
            seed_synthetic_vendors(vendors, self.stdout)
            # The planner's row counts are the empty tables' until autovacuum gets round to them:
            # on PostgreSQL it then hashes all 100,000 vendors to join one evaluation's quotes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        market_changed()  # bulk-created rows send no signal: the directory reads them afresh
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Vendor.objects.count():,} vendors, {Quote.objects.count():,} quotes, "
                f"{Evaluation.objects.count()} evaluations."
            )
        )
        self.stdout.write(
            "Demo logins (demo only, never use in production): "
            + ", ".join([*(u[0] for u in DEMO_USERS), CONTACT_USERNAME])
            + f" with password {DEMO_PASSWORD}"
        )
