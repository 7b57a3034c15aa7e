// Scoring grid: Enter saves the cell it is typed in (no form is submitted); Tab moves on as usual.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !input.matches("#score-grid input")) return;
  event.preventDefault();
  input.dispatchEvent(new Event("change", { bubbles: true }));
});
