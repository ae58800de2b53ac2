// Printing a page prints what its folded sections hold: every closed <details> is opened for
// the print and closed again after, so a printed results table keeps each unit's breakdown.
"use strict";
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
