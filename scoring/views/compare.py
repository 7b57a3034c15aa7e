"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def compare(request, *args, **kwargs):
    raise Http404("Not built yet.")
