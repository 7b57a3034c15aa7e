"""`manage.py open_due_rounds`: for cron where no Celery beat runs (page views open them too)."""

from django.core.management.base import BaseCommand

from sourcing.opening import open_due_rounds


class Command(BaseCommand):
    help = "Open the RFP rounds whose deadline has passed; those that cannot open are logged."

    def handle(self, *args, **options):
        opened = open_due_rounds()
        noun = "round" if opened == 1 else "rounds"
        self.stdout.write(f"Opened {opened} RFP {noun} at their deadline.")
