"""Mark contracts past their term as ended, then e-mail each owner the alerts of their running
contracts (renewal, repeated misses, certificates lapsing) through Django's e-mail backend. Run daily,
e.g. from cron."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from contracts.alerts import alerts_for
from contracts.models import Contract
from contracts.services import contracts_close_ended


class Command(BaseCommand):
    help = "E-mail contract owners the alerts of their running contracts."

    def handle(self, *args, **options):
        ended = contracts_close_ended(today=timezone.localdate())
        alerts = alerts_for(Contract.objects.select_related("owner", "vendor"))
        by_owner: dict[int, list] = {}
        for alert in alerts:
            by_owner.setdefault(alert.contract.owner_id, []).append(alert)
        sent = skipped = 0
        for found in by_owner.values():
            owner = found[0].contract.owner
            if not owner.email:
                skipped += 1
                continue
            lines = [f"- {a.contract.title}: {a.text}" for a in found]
            count = len(found)
            send_mail(
                subject=f"BPO Select: {count} contract alert{'s' if count != 1 else ''}",
                message="\n".join(["Your running contracts need attention:", "", *lines]),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[owner.email],
            )
            sent += 1
        self.stdout.write(
            (f"{ended} contract(s) past their term marked ended; " if ended else "")
            + f"{len(alerts)} alert(s); {sent} owner(s) e-mailed"
            + (f", {skipped} without an e-mail address" if skipped else "")
            + "."
        )
