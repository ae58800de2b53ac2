// The figures grid of a report's page (crates/thidua-web/templates/figures_report.html),
// which works without this script. With it, as in a spreadsheet: Enter in a figure or comment
// cell moves to the same column's cell of the next row (Shift+Enter to the row above) and never
// submits the form (saving stays a button); a column copied from Excel and pasted into a figure
// cell fills the figure cells from there down, one line per cell (a blank line keeps its cell,
// as the paste box does), or changes nothing and says why, until the next input; one number
// pasted with its groups of three digits spaced ("1 650") is written as the grid reads it
// ("1.650"), as a column's are; the page that comes back after a saved draft (`#grid-card`)
// and the "skip to the grid" link put the focus in the first figure cell.
"use strict";

(() => {
  const form = document.getElementById("grid-form");
  if (!form) return;
  const cells = Array.from(form.querySelectorAll("input.figure"));
  if (cells.length === 0) return;
  const problem = document.getElementById("grid-paste-error");
  const keys = document.getElementById("grid-keys");
  if (keys) keys.hidden = false;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const say = (text) => {
    problem.textContent = text;
    problem.hidden = false;
  };
  const clear = () => {
    problem.textContent = "";
    problem.hidden = true;
  };
  // What a paste could not do is said until the user types in a cell again.
  form.addEventListener("input", () => {
    if (!problem.hidden) clear();
  });
  const go = (cell) => {
    cell.focus();
    cell.select();
  };
  // "1 650" (spaces, no-break spaces between groups of three digits, as Excel may show a
  // number) written as the grid reads it, "1.650"; the paste box reads it the same way.
  const grouped = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$/;
  const figure = (line) => {
    const value = line.trim();
    return grouped.test(value) ? value.replace(/[ \u00a0\u202f]/g, ".") : value;
  };

  // Enter goes down the column (Shift+Enter up), in the figures and in the comments alike.
  const comments = Array.from(form.querySelectorAll("input[id^='c-']"));
  [cells, comments].forEach((column) => {
    column.forEach((cell, at) => {
      cell.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.isComposing) return;
        event.preventDefault();
        const next = column[event.shiftKey ? at - 1 : at + 1];
        if (next) go(next);
      });
    });
  });

  cells.forEach((cell, at) => {
    cell.addEventListener("paste", (event) => {
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      const lines = text.replace(/\r\n?/g, "\n").split("\n");
      // Excel ends the last cell's line too.
      while (lines.length > 1 && lines[lines.length - 1].trim() === "") lines.pop();
      if (lines.length < 2) {
        // One number: written as a column's are when its groups are spaced, else as pasted.
        const line = lines[0].trim();
        if (!grouped.test(line)) return;
        event.preventDefault();
        cell.setRangeText(figure(line), cell.selectionStart, cell.selectionEnd, "end");
        cell.dispatchEvent(new Event("input", { bubbles: true }));
        return;
      }
      event.preventDefault();
      const left = cells.length - at;
      if (lines.length > left) {
        say(fill(form.dataset.tooMany, { lines: lines.length, cells: left }));
        return;
      }
      for (let n = 0; n < lines.length; n++) {
        const parts = lines[n].split("\t").filter((part) => part.trim() !== "");
        if (parts.length > 1) {
          say(fill(form.dataset.cells, { line: n + 1, cells: parts.length }));
          return;
        }
      }
      lines.forEach((line, n) => {
        const value = figure(line.replace(/\t/g, ""));
        if (value === "") return;
        cells[at + n].value = value;
        cells[at + n].dispatchEvent(new Event("input", { bubbles: true }));
      });
      clear();
      go(cells[at + lines.length - 1]);
    });
  });

  // After the browser has gone to the fragment (which focuses the page itself).
  if (window.location.hash === "#grid-card") {
    const first = () => setTimeout(() => go(cells[0]), 0);
    if (document.readyState === "complete") first();
    else window.addEventListener("load", first);
  }
  const skip = document.getElementById("skip-to");
  if (skip) {
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      go(cells[0]);
    });
  }
})();
