"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def grid(request, *args, **kwargs):
    raise Http404("Not built yet.")


def score_save(request, *args, **kwargs):
    raise Http404("Not built yet.")


def team_view(request, *args, **kwargs):
    raise Http404("Not built yet.")
