"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def submit(request, *args, **kwargs):
    raise Http404("Not built yet.")


def approve(request, *args, **kwargs):
    raise Http404("Not built yet.")


def reject(request, *args, **kwargs):
    raise Http404("Not built yet.")
