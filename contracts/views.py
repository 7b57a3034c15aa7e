"""Contract screens: list, create from an approval, the scorecard, enter a month, import values,
add a KPI, the quarterly review PDF and starting the renewal evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bpo_select.roles import Role, role_required
from contracts import access, importing, review
from contracts.alerts import alerts_for
from contracts.charts import kpi_trend_chart
from contracts.credits import HIGHER
from contracts.forms import ContractForm, KpiForm, KpiFormSet, MonthForm, UploadForm, kpi_initial
from contracts.selectors import contract_prefill, contract_scorecard, vendor_standings
from contracts.services import (
    ContractError,
    contract_create,
    delivered_performance_fill,
    kpi_add,
    measurements_import,
    month_save,
    renewal_start,
)
from scoring.access import evaluation_for_edit
from scoring.charts import as_data_uri
from scoring.services import SetupError
from vendors.importing import ImportRefused, discard, stash, unstash
from vendors.models import Vendor

PENDING = "contract_import_{pk}"


@role_required(Role.ANALYST, Role.MANAGER)
def contract_list(request):
    contracts = access.visible_contracts(request.user)
    return render(request, "contracts/list.html", {"contracts": contracts, "nav": "contracts"})


def contract_create_view(request, pk: int):
    evaluation = access.evaluation_for_contract(request, pk)
    prefill = contract_prefill(evaluation)
    if prefill is None:
        raise PermissionDenied(
            "The approved decision ranked no vendor, so there is nobody to contract."
        )
    initial = {
        "title": f"{prefill.vendor} – {evaluation.process.name}",
        "owner": evaluation.owner_id,
        "start_date": f"{prefill.start_date:%Y-%m}",
        "term_months": prefill.term_months,
        "monthly_fee": prefill.monthly_fee,
        "currency": prefill.currency,
        "monthly_cap_pct": 10,
    }
    form = ContractForm(request.POST or None, initial=initial)
    kpis = KpiFormSet(request.POST or None, initial=kpi_initial(prefill.kpis), prefix="kpi")
    if request.method == "POST" and form.is_valid() and kpis.is_valid():
        data = form.cleaned_data
        try:
            contract = contract_create(
                evaluation=evaluation,
                created_by=request.user,
                owner=data["owner"],
                vendor=Vendor.objects.get(pk=prefill.vendor_id),
                title=data["title"] or "",
                start_date=data["start_date"],
                term_months=data["term_months"],
                monthly_fee=data["monthly_fee"],
                currency=data["currency"],
                monthly_cap_pct=data["monthly_cap_pct"],
                kpis=[spec for f in kpis.forms if (spec := f.spec())],
            )
        except ContractError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Contract “{contract.title}” created.")
            return redirect(contract)
    return render(
        request,
        "contracts/create.html",
        {
            "evaluation": evaluation,
            "prefill": prefill,
            "form": form,
            "kpis": kpis,
            "nav": "contracts",
        },
    )


def _page(request, contract, **extra):
    card = contract_scorecard(contract)
    trends = [
        (
            series,
            as_data_uri(
                kpi_trend_chart(
                    series.points,
                    target=series.kpi.target,
                    higher_is_better=series.kpi.direction == HIGHER,
                    title=series.kpi.name,
                    unit=series.kpi.unit,
                )
            ),
        )
        for series in card.series
    ]
    can_enter = access.can_enter(request.user, contract)
    context = {
        "contract": contract,
        "card": card,
        "trends": trends,
        "can_enter": can_enter,
        "month_form": MonthForm(kpis=card.kpis) if can_enter else None,
        "kpi_form": KpiForm(prefix="new") if can_enter else None,
        "quarters": review.quarters(contract),
        "alerts": alerts_for(access.visible_contracts(request.user).filter(pk=contract.pk)),
        "nav": "contracts",
    } | extra
    return render(request, "contracts/detail.html", context)


def contract_detail(request, pk: int):
    return _page(request, access.contract_for_user(request, pk))


def month_enter(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    form = MonthForm(request.POST or None, kpis=list(contract.kpis.all()))
    if request.method == "POST" and form.is_valid():
        try:
            changed = month_save(
                contract=contract,
                user=request.user,
                month=form.cleaned_data["month"],
                values=form.values(),
            )
        except ContractError as error:
            form.add_error("month" if error.field == "month" else None, error.message)
        else:
            month = form.cleaned_data["month"]
            messages.success(
                request, f"{month:%B %Y}: {changed} value{'s' if changed != 1 else ''} saved."
            )
            return redirect(contract)
    return render(
        request, "contracts/month.html", {"contract": contract, "form": form, "nav": "contracts"}
    )


def kpi_add_view(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    form = KpiForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        spec = form.spec()
        if spec is None:
            form.add_error("name", "Name the KPI.")
        else:
            try:
                kpi_add(contract=contract, spec=spec)
            except ContractError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"KPI “{spec.name}” added.")
                return redirect(contract)
    return render(
        request, "contracts/kpi_add.html", {"contract": contract, "form": form, "nav": "contracts"}
    )


def import_view(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    result, refused = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = importing.preview(contract, data, upload.name)
        except ImportRefused as error:
            refused = str(error)
        else:
            if result.ok:
                request.session[PENDING.format(pk=contract.pk)] = [
                    stash(data, upload.name),
                    upload.name,
                ]
    context = {
        "contract": contract,
        "form": form,
        "result": result,
        "refused": refused,
        "nav": "contracts",
    }
    return render(request, "contracts/import.html", context)


@require_POST
def import_commit(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    token, filename = request.session.pop(PENDING.format(pk=contract.pk), ["", ""])
    data = unstash(token)
    if data is None:
        messages.error(request, "No previewed file to import: upload it again.")
        return redirect("contracts:import", contract.pk)
    discard(token)
    try:
        result = importing.preview(contract, data, filename)
        if not result.ok:
            raise ContractError(
                "The stored values changed since the preview; upload the file again."
            )
        changed = measurements_import(contract=contract, user=request.user, rows=result.rows)
    except (ImportRefused, ContractError) as error:
        return render(
            request,
            "contracts/import.html",
            {"contract": contract, "form": UploadForm(), "refused": str(error)},
            status=400,
        )
    messages.success(request, f"{filename}: {changed} value{'s' if changed != 1 else ''} imported.")
    return redirect(contract)


def import_template(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    response = HttpResponse(importing.template_csv(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="kpi-values-{contract.pk}.csv"'
    return response


def review_pdf(request, pk: int, year: int, quarter: int):
    contract = access.contract_for_user(request, pk)
    try:
        data = review.render_review_pdf(contract, year, quarter)
    except review.NotInTerm as error:
        raise Http404(str(error)) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{review.review_filename(contract, year, quarter)}"'
    )
    return response


@require_POST
def renew(request, pk: int):
    contract = access.contract_for_entry(request, pk)
    try:
        draft = renewal_start(contract=contract, by=request.user)
    except ContractError as error:
        messages.error(request, error.message)
        return redirect(contract)
    messages.success(
        request,
        f"Renewal evaluation “{draft.title}” started with {contract.vendor.name} as a candidate.",
    )
    return redirect(draft)  # managers see every evaluation; an analyst owner owns the draft


@require_POST
def delivered_performance(request, pk: int):
    """Fill the evaluation's "Delivered performance" criterion from the candidates' SLA standing."""
    evaluation = evaluation_for_edit(request, pk)
    vendor_ids = list(evaluation.candidates.values_list("vendor_id", flat=True))
    shares = {vid: s.share_met_pct for vid, s in vendor_standings(vendor_ids).items()}
    try:
        criterion, count = delivered_performance_fill(
            evaluation=evaluation, user=request.user, standings=shares
        )
    except (ContractError, SetupError) as error:
        messages.error(request, str(error))
    else:
        if count:
            filled = f"{count} vendor{'s' if count != 1 else ''} filled from their SLA standing"
        else:
            filled = "no competing vendor without a value has an SLA standing, so none was filled"
        messages.success(request, f"{criterion.name}: {filled}. Give it a weight to use it.")
    return redirect("scoring:criteria", evaluation.pk)
