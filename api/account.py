"""The profile page where people create and revoke their personal API tokens, and the API docs."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from api.models import ApiToken
from api.tokens import TokenError, token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What it is for, so you know which one to revoke later (e.g. “ERP sync”).",
    )


def tokens(request):
    """Your tokens; POST creates one and shows its secret this once."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
        except TokenError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Token “{token.name}” created.")
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user),
        "nav": "tokens",
    }
    response = render(request, "api/tokens.html", context)
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@require_POST
def token_revoke_view(request, pk: int):
    try:
        token = token_revoke(user=request.user, token_id=pk)
    except TokenError as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("account:tokens")


@require_GET
def docs(request):
    """The API reference (Swagger UI from the app's static files, no CDN, no inline script)."""
    return render(request, "api/docs.html")
