# Load the Celery app with Django, so @shared_task binds to it and its settings.
from bpo_select.celery import app as celery_app

__all__ = ["celery_app"]
