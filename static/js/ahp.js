// AHP page: the consistency ratio, the weights and the pair to revise first, live as sliders move.
// The same computation as scoring/ahp.py (principal eigenvector, Saaty's CR); the server re-checks
// on save, so this only saves a round trip. A slider runs from -8 (left-hand criterion 9 times as
// important) through 0 (equal) to 8 (right-hand one 9 times as important).
(function () {
  "use strict";

  function entry(position) { return position >= 0 ? position + 1 : 1 / (1 - position); }

  function snap(ratio) {
    var best = 0, bestGap = Infinity;
    for (var p = -8; p <= 8; p++) {
      var gap = Math.abs(Math.log(entry(p)) - Math.log(ratio));
      if (gap < bestGap - 1e-12 || (Math.abs(gap - bestGap) <= 1e-12 && Math.abs(p) < Math.abs(best))) {
        best = p; bestGap = gap;
      }
    }
    return best;
  }

  // Power iteration converges to the Perron vector of a positive matrix: numpy's eig gives the same.
  function principal(a) {
    var n = a.length, w = [], i, j, k;
    for (i = 0; i < n; i++) { w.push(1 / n); }
    for (k = 0; k < 1000; k++) {
      var next = [], sum = 0, change = 0;
      for (i = 0; i < n; i++) {
        var s = 0;
        for (j = 0; j < n; j++) { s += a[i][j] * w[j]; }
        next.push(s); sum += s;
      }
      for (i = 0; i < n; i++) { next[i] /= sum; change = Math.max(change, Math.abs(next[i] - w[i])); }
      w = next;
      if (change < 1e-13) { break; }
    }
    var lambda = 0;
    for (i = 0; i < n; i++) {
      var row = 0;
      for (j = 0; j < n; j++) { row += a[i][j] * w[j]; }
      lambda += row / w[i];
    }
    return { weights: w, lambdaMax: lambda / n };
  }

  // Largest-remainder rounding to cents summing to exactly 100, as services.rounded_percentages.
  function percents(weights) {
    var cents = [], rest = [], total = 0, i;
    for (i = 0; i < weights.length; i++) {
      var exact = weights[i] * 10000;
      cents.push(Math.floor(exact)); rest.push([exact - Math.floor(exact), i]); total += cents[i];
    }
    rest.sort(function (x, y) { return y[0] - x[0]; });
    for (i = 0; i < 10000 - total && i < rest.length; i++) { cents[rest[i][1]] += 1; }
    return cents.map(function (c) { return (c / 100).toFixed(2); });
  }

  function words(config, left, right, slider) {
    if (slider === 0) { return "Equally important (1)"; }
    var times = slider < 0 ? 1 - slider : 1 + slider;
    return (slider < 0 ? left : right) + ": " + config.words[String(times)] + " (" + times + ")";
  }

  function update(form, config) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("[data-criterion]"));
    var keys = rows.map(function (row) { return row.getAttribute("data-criterion"); });
    var index = {}, n = keys.length, i, j;
    keys.forEach(function (key, k) { index[key] = k; });
    var a = [];
    for (i = 0; i < n; i++) { a.push([]); for (j = 0; j < n; j++) { a[i].push(1); } }
    var sliders = Array.prototype.slice.call(form.querySelectorAll("input[type=range][data-left]"));
    sliders.forEach(function (slider) {
      var value = parseInt(slider.value, 10);
      i = index[slider.dataset.left]; j = index[slider.dataset.right];
      a[i][j] = entry(-value); a[j][i] = 1 / a[i][j];
      var text = words(config, slider.dataset.leftName, slider.dataset.rightName, value);
      slider.setAttribute("aria-valuetext", text);
      document.getElementById(slider.id + "-text").textContent = text;
    });
    var result = principal(a);
    var ci = n > 2 ? Math.max(0, (result.lambdaMax - n) / (n - 1)) : 0;
    var cr = n > 2 ? ci / config.randomIndex[n - 1] : 0;
    var consistent = cr <= config.limit;

    var shown = percents(result.weights);
    rows.forEach(function (row, k) { row.querySelector("[data-ahp-weight]").textContent = shown[k]; });

    var crEl = form.querySelector("[data-ahp-cr]");
    var badge = consistent ? '<span class="badge text-bg-success">Consistent</span> ' : '<span class="badge text-bg-danger">Inconsistent</span> ';
    crEl.innerHTML = badge;
    crEl.appendChild(document.createTextNode(consistent
      ? "Consistency ratio " + cr.toFixed(3) + " (at most 0.10)."
      : "Consistency ratio " + cr.toFixed(3) + ", above 0.10: saving needs a revision or a reason."));

    // The worst pair: the judgement furthest from the ratio of the derived weights.
    var worst = null, worstGap = -1;
    sliders.forEach(function (slider) {
      i = index[slider.dataset.left]; j = index[slider.dataset.right];
      var gap = Math.abs(Math.log(a[i][j] * result.weights[j] / result.weights[i]));
      if (gap > worstGap) { worst = slider; worstGap = gap; }
    });
    var suggested = null;
    if (!consistent && worst) {
      // Suggest what the other answers imply for the pair: the geometric mean of a_ik * a_kj.
      var wi = index[worst.dataset.left], wj = index[worst.dataset.right], logs = 0, count = 0;
      for (var k = 0; k < n; k++) {
        if (k !== wi && k !== wj) { logs += Math.log(a[wi][k] * a[k][wj]); count += 1; }
      }
      var s = -snap(Math.exp(logs / count));
      if (s !== parseInt(worst.value, 10)) { suggested = s; } else { worst = null; }
    } else { worst = null; }
    sliders.forEach(function (slider) {
      var pair = slider.closest("[data-ahp-pair]");
      var isWorst = slider === worst;
      pair.classList.toggle("ahp-worst", isWorst);
      pair.querySelector("[data-worst-badge]").hidden = !isWorst;
    });
    var panel = form.querySelector("[data-ahp-revision]");
    var jump = form.querySelector("[data-revision-jump]");
    panel.hidden = jump.hidden = worst === null;
    if (worst) {
      var left = worst.dataset.leftName, right = worst.dataset.rightName;
      panel.querySelector("[data-revision-pair]").textContent = left + " vs " + right;
      panel.querySelector("[data-revision-given]").textContent = words(config, left, right, parseInt(worst.value, 10));
      panel.querySelector("[data-revision-suggested]").textContent = words(config, left, right, suggested);
      panel.querySelector("[data-revision-link]").setAttribute("href", "#" + worst.id);
      jump.setAttribute("href", "#" + worst.id);
      jump.textContent = "Go to the pair to revise first: " + left + " vs " + right;
      var apply = panel.querySelector("[data-revision-apply]");
      apply.hidden = worst.disabled;
      apply.dataset.target = worst.id;
      apply.dataset.value = String(suggested);
    }

    var confirmBox = form.querySelector("[data-ahp-confirm]");
    var save = form.querySelector("[data-ahp-save]");
    if (confirmBox && save) {
      if (!consistent) { confirmBox.hidden = false; }
      var ticked = confirmBox.querySelector("input[type=checkbox]").checked;
      var reason = confirmBox.querySelector("textarea").value.trim();
      var blocked = !consistent && !(ticked && reason);
      save.disabled = blocked;
      form.querySelector("[data-ahp-blocked]").hidden = !blocked;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var configEl = document.getElementById("ahp-config");
    var form = document.querySelector("form[data-ahp-form]");
    if (!configEl || !form) { return; }
    var config = JSON.parse(configEl.textContent);
    form.addEventListener("input", function () { update(form, config); });
    form.addEventListener("change", function () { update(form, config); });
    var apply = form.querySelector("[data-revision-apply]");
    apply.addEventListener("click", function () {
      var slider = document.getElementById(apply.dataset.target);
      slider.value = apply.dataset.value;
      update(form, config);
      slider.focus();
    });
    update(form, config);
  });
})();
