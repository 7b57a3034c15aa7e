"""Every main page of the demo, for each role that sees it: nothing scrolls sideways at 390 px, and
axe-core (the engine shipped in axe-playwright-python, run inside the page) finds no critical or
serious WCAG 2.1 A/AA violation, at desktop width and at 390 px."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from openpyxl import Workbook

from scoring.models import Evaluation, WeightProfile

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def check_page(page, problems: list[str], label: str) -> None:
    """Record what fails on the current page at both widths (all pages are visited before failing,
    so one run names every problem)."""
    # Colours mid-transition (a button just clicked) are no colours a person reads: Bootstrap drops
    # its transitions for reduced motion, so axe sees the settled page.
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.wait_for_function("document.readyState === 'complete'")
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        where = f"{label} at {size['width']} px"
        if size is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                problems.append(f"{where}: scrolls sideways, {width} px wide")
        problems.extend(f"{where}: {violation}" for violation in serious_violations(page))


def visit(page, problems, paths) -> None:
    for path in paths:
        page.set_viewport_size(DESKTOP)
        response = page.goto(path, timeout=40_000)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        check_page(page, problems, path)


def evaluation_paths(evaluation: Evaluation) -> list[str]:
    base = f"/evaluations/{evaluation.pk}"
    return [f"{base}/{tab}" for tab in ("", "ranking/", "compare/", "history/")]


def contract_paths() -> list[str]:
    from contracts.models import Contract

    base = f"/contracts/{Contract.objects.get().pk}"
    return ["/contracts/", f"{base}/", f"{base}/month/", f"{base}/import/", f"{base}/kpis/"]


@pytest.fixture
def demo(demo_data):
    return {
        "draft": Evaluation.objects.get(status="draft"),
        "in_review": Evaluation.objects.get(status="in_review"),
        "approved": Evaluation.objects.get(status="approved"),
    }


def test_analyst_pages_fit_a_phone_and_pass_axe(page, demo, log_in):
    problems: list[str] = []
    page.goto("/login/")
    check_page(page, problems, "login")
    log_in("analyst")
    draft = demo["draft"]
    vendor = draft.candidates.order_by("pk").first().vendor
    base = f"/evaluations/{draft.pk}"
    visit(
        page,
        problems,
        [
            "/",
            "/vendors/",
            f"/vendors/{vendor.pk}/",
            f"/vendors/{vendor.pk}/history/",
            "/evaluations/",
            "/evaluations/new/",
            f"{base}/edit/",
            f"{base}/team/",
            f"{base}/weights/",
            f"{base}/candidates/",
            f"{base}/quotes/",
            f"{base}/quotes/{vendor.pk}/",
            f"{base}/scores/",
            f"{base}/scores/team/",
            *evaluation_paths(draft),
            *evaluation_paths(demo["approved"]),
            *contract_paths(),
        ],
    )
    # The what-if panel is folded away on a phone and opens with its button, still fitting.
    page.goto(f"{base}/ranking/")
    page.set_viewport_size(PHONE)
    sliders = page.locator("#what-if-form")
    assert not sliders.is_visible()
    page.get_by_role("button", name=re.compile("What if")).click()
    sliders.get_by_role("slider").first.wait_for()
    check_page(page, problems, "ranking with the what-if panel open")
    assert not problems, "\n".join(problems)


def test_manager_pages_fit_a_phone_and_pass_axe(page, demo, log_in):
    problems: list[str] = []
    log_in("manager")
    visit(
        page,
        problems,
        [
            "/",
            *evaluation_paths(demo["in_review"]),
            f"/evaluations/{demo['approved'].pk}/",
            f"/contracts/from-evaluation/{demo['approved'].pk}/",
        ],
    )
    assert not problems, "\n".join(problems)


def error_workbook(path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "country", "website", "headcount"])
    sheet.append(["Zephyr Support Co", "Costa Rica", "https://zephyr.example", 800])
    sheet.append(["Broken Co", "Narnia", "not a url", "many"])
    file = path / "vendors.xlsx"
    book.save(file)
    return str(file)


def test_vendor_admin_pages_and_the_admin_fit_a_phone_and_pass_axe(page, demo, log_in, tmp_path):
    problems: list[str] = []
    log_in("vendoradmin")
    vendor = demo["draft"].candidates.order_by("pk").first().vendor
    visit(
        page,
        problems,
        [
            "/",
            "/vendors/import/",
            "/admin/",
            "/admin/vendors/vendor/",
            f"/admin/vendors/vendor/{vendor.pk}/change/",
            "/admin/vendors/quote/",
        ],
    )
    page.goto("/vendors/import/")
    page.get_by_label("Vendors with processes, certifications and centres").check()
    page.get_by_label("CSV or Excel file").set_input_files(error_workbook(tmp_path))
    page.get_by_role("button", name="Preview import").click()
    page.get_by_role("heading", name=re.compile("error")).wait_for()
    check_page(page, problems, "import preview with errors")

    page.goto("/vendors/")
    page.get_by_role("button", name=re.compile("Export")).click()
    page.wait_for_url(re.compile("/tasks/"))
    check_page(page, problems, "task status")

    # The decision's reference data is for superusers: an editable change list and inlines.
    User.objects.create_superuser("root", "root@example.com", "root-pass-2026")
    page.context.clear_cookies()
    log_in("root", "root-pass-2026")
    profile = WeightProfile.objects.order_by("pk").first()
    visit(
        page,
        problems,
        [
            "/admin/scoring/criterion/",
            f"/admin/scoring/weightprofile/{profile.pk}/change/",
            f"/admin/scoring/evaluation/{demo['draft'].pk}/change/",
        ],
    )
    assert not problems, "\n".join(problems)


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let below = el.parentElement, background = "rgb(255, 255, 255)";
  while (below) {
    const colour = getComputedStyle(below).backgroundColor;
    if (colour && colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    below = below.parentElement;
  }
  return {
    what: el.tagName + (el.type ? "[" + el.type + "]" : "") + " " + (el.id || el.name || el.textContent.trim().slice(0, 30)),
    style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor, background,
  };
}"""


def luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", rgb)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_control_shows_a_focus_ring_of_at_least_3_to_1(page, demo, log_in):
    """Tab through the ranking page (sliders, radios, buttons, links, the navbar) and the score
    grid (its inputs): each focused control has a solid outline of 2 px or more contrasting 3:1
    with what is behind it."""
    log_in("analyst")
    weak = []
    seen = 0
    for path in (
        f"/evaluations/{demo['draft'].pk}/ranking/",
        f"/evaluations/{demo['draft'].pk}/scores/",
    ):
        page.goto(path)
        kinds = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUSED)
            if ring["what"].startswith("BODY"):
                break
            seen += 1
            kinds.add(ring["what"].split(" ")[0])
            ratio = contrast(ring["colour"], ring["background"])
            if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
                weak.append(
                    f"{path} {ring['what']}: {ring['style']} {ring['width']} px, {ratio:.2f}:1"
                )
        assert "A" in kinds and any(kind.startswith("INPUT") for kind in kinds), kinds
        if "ranking" in path:
            assert {"INPUT[range]", "INPUT[radio]", "BUTTON[button]"} <= kinds, kinds
    assert seen > 40
    assert not weak, "\n".join(weak)
