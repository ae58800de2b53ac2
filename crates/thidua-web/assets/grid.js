// The figures grid of a report's page (crates/thidua-web/templates/figures_report.html),
// which works without this script. With it, as in a spreadsheet: Enter in a figure or comment
// cell moves to the same column's cell of the next row (Shift+Enter to the row above) and never
// submits the form (saving stays a button); a column copied from Excel and pasted into a figure
// cell fills the figure cells from there down, one line per cell (a blank line keeps its cell,
// as the paste box does), or changes nothing and says why, until the next input; one number
// pasted with its groups of three digits spaced ("1 650") is written as the grid reads it
// ("1.650"), as a column's are; the page that comes back after a saved draft (`#grid-card`)
// and the "skip to the grid" link put the focus in the first figure cell. A figure far from
// the same period of last year gets its hint as it is typed: the page gives each cell the
// bounds outside which a figure is far (thidua_domain::figures::plausibility::far_bounds) and
// the script only compares the typed number with them, exactly, digit by digit; the page
// that comes back after saving says by how much.
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

  // The typed figure as a canonical decimal ("1.650,5" -> "1650.5"), read as the grid reads
  // it (groups of three separated by dots, a decimal comma); null for anything else, which
  // the save refuses or reads as no number.
  const typedDecimal = (text) => {
    const t = text.trim();
    if (!/^\d+(?:,\d+)?$/.test(t) && !/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(t)) return null;
    return t.replace(/\./g, "").replace(",", ".");
  };
  // Compares two canonical decimals that are not negative: -1, 0 or 1.
  const compare = (a, b) => {
    const [ai, af = ""] = a.split(".");
    const [bi, bf = ""] = b.split(".");
    const x = ai.replace(/^0+/, "");
    const y = bi.replace(/^0+/, "");
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    const width = Math.max(af.length, bf.length);
    const p = x + af.padEnd(width, "0");
    const q = y + bf.padEnd(width, "0");
    return p === q ? 0 : p < q ? -1 : 1;
  };
  const describedBy = (cell, id, on) => {
    const ids = (cell.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
    if (on) ids.unshift(id);
    cell.setAttribute("aria-describedby", ids.join(" "));
  };
  const farHint = (cell) => {
    const note = document.getElementById(`${cell.id}-far`);
    const above = cell.dataset.farAbove;
    if (!note || !above) return;
    const value = typedDecimal(cell.value);
    const below = cell.dataset.farBelow;
    let text = "";
    if (value !== null && compare(value, above) >= 0) text = form.dataset.farAbove;
    else if (value !== null && below && compare(value, below) <= 0) {
      text = /^[0.]+$/.test(value)
        ? fill(form.dataset.farZero, { same: cell.dataset.same })
        : form.dataset.farBelow;
    }
    // The page's own note (with the ratio) stays while the saved figure is unchanged.
    if (text && cell.value === cell.defaultValue && note.textContent) return;
    note.textContent = text;
    note.hidden = text === "";
    describedBy(cell, note.id, text !== "");
  };
  cells.forEach((cell) => cell.addEventListener("input", () => farHint(cell)));

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
