// Line numbers beside the code boxes (a scoring regulation, a covenant's validation rules):
// the server draws them for the text as sent, the box as tall as its text (see
// crates/thidua-web/src/ui/code.rs); this keeps them right while the text is typed, the box
// growing with its text so that its numbers never scroll apart from its lines.
"use strict";

const MIN_ROWS = 16;

for (const box of document.querySelectorAll(".code-box")) {
  const area = box.querySelector("textarea");
  const gutter = box.querySelector(".gutter");
  if (!area || !gutter) continue;
  const update = () => {
    const rows = Math.max(MIN_ROWS, area.value.split("\n").length + 3);
    if (area.rows !== rows) area.rows = rows;
    if (gutter.textContent.split("\n").length !== rows) {
      gutter.textContent = Array.from({ length: rows }, (_, i) => String(i + 1)).join("\n");
    }
  };
  area.addEventListener("input", update);
  update();
}
