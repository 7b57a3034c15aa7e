"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def candidates(request, *args, **kwargs):
    raise Http404("Not built yet.")


def candidate_add(request, *args, **kwargs):
    raise Http404("Not built yet.")


def candidate_remove(request, *args, **kwargs):
    raise Http404("Not built yet.")
