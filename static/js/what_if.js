// What-if sliders: show each weight's share of the total while the sliders move.
// The re-ranking itself is an htmx GET triggered by the form (see ranking.html).
(() => {
  const format = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1, minimumFractionDigits: 1 });

  function updateShares(form) {
    const sliders = [...form.querySelectorAll("input.what-if-weight")];
    const total = sliders.reduce((sum, slider) => sum + Number(slider.value), 0);
    for (const slider of sliders) {
      const output = form.querySelector(`output[data-share-of="${slider.id}"]`);
      if (output) output.textContent = format.format(total > 0 ? Number(slider.value) / total : 0);
    }
  }

  document.addEventListener("input", (event) => {
    const form = event.target.closest("#what-if-form");
    if (form) updateShares(form);
  });
})();
