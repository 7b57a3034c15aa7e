// Weights page: show the live total of the percentage inputs and how far it is from 100.
// The server re-checks on save; this only saves a round trip.
(function () {
  "use strict";
  function update(form) {
    var total = 0;
    form.querySelectorAll("input[data-weight]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value)) { total += value; }
    });
    total = Math.round(total * 100) / 100;
    var gap = Math.round((total - 100) * 100) / 100;
    var totalEl = form.querySelector("[data-weights-total]");
    var gapEl = form.querySelector("[data-weights-gap]");
    if (totalEl) { totalEl.textContent = total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "%"; }
    if (gapEl) {
      var ok = Math.abs(gap) <= 0.01;
      gapEl.textContent = ok ? "exactly 100" : Math.abs(gap).toFixed(2) + (gap < 0 ? " short of 100" : " over 100");
      gapEl.classList.toggle("text-success", ok);
      gapEl.classList.toggle("text-danger", !ok);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-weights-form]").forEach(function (form) {
      form.addEventListener("input", function () { update(form); });
      update(form);
    });
  });
})();
