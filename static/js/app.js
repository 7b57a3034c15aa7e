// BPO Select's own scripts. Loaded as a file so the Content-Security-Policy can forbid inline script.

// A table box that scrolls sideways (narrow screens) must be reachable by keyboard to scroll it:
// make it a named, focusable region only while it actually overflows.
(function () {
  function label(box) {
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    const section = box.closest("section[aria-labelledby]");
    const heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    return heading ? heading.textContent.trim() : "Table";
  }
  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", label(box) + " (scrolls sideways)");
          box.dataset.scrollFocus = "1";
        }
      } else if (box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("toggle", update, true);
})();
