// Progressive enhancement only: every page works without it.
// The overview's filters apply as soon as a choice changes (the 筛选 button still works).
document.addEventListener("DOMContentLoaded", () => {
  const filters = document.getElementById("filters");
  if (!filters) return;
  for (const select of filters.querySelectorAll("select")) {
    select.addEventListener("change", () => filters.requestSubmit());
  }
});
