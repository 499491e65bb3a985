// The grid editor sends only the cells an editor changed (the server keeps the others as they
// are), so a grid of any size stays below Django's limit on the number of posted fields.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("grid-cells-form");
  if (!form) return;
  form.addEventListener("input", function (event) {
    var cell = event.target;
    cell.classList.toggle("changed", cell.value !== cell.defaultValue);
  });
  form.addEventListener("submit", function () {
    form.querySelectorAll("textarea").forEach(function (cell) {
      cell.disabled = cell.value === cell.defaultValue;
    });
  });
});
