// Django admin fixes that need the DOM the admin's own scripts build.
// SelectFilter2 (filter_horizontal) gives a plain <span> an aria-label, which ARIA does not allow on
// a role-less element: make it the image it is.
window.addEventListener("load", function () {
  document.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
