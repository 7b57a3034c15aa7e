"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def report_pdf(request, *args, **kwargs):
    raise Http404("Not built yet.")


def export(request, *args, **kwargs):
    raise Http404("Not built yet.")
