// Scoring grid: Enter saves the cell it is typed in (no form is submitted); Tab moves on as usual.
// A cell's comment opens on demand (its button, or Alt+C in the score) so each cell is one Tab stop.
function openComment(id) {
  const comment = document.getElementById(id);
  if (!comment) return;
  comment.hidden = false;
  document.querySelector(`[data-comment="${id}"]`)?.setAttribute("aria-expanded", "true");
  comment.focus();
}

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!input.matches("#score-grid input")) return;
  if (event.altKey && event.code === "KeyC" && input.name === "value") {
    event.preventDefault();
    openComment(input.id.replace(/^score-/, "comment-"));
    return;
  }
  if (event.key !== "Enter") return;
  event.preventDefault();
  input.dispatchEvent(new Event("change", { bubbles: true }));
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("#score-grid .comment-toggle");
  if (button) openComment(button.dataset.comment);
});
