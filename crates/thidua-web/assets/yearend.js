// The year-end page's script: makes a unit's seed secret in the leader's browser, so that the
// server receives only its commitment (see docs/assignment.md, "Commit and reveal").
//
// - Commit: 32 random bytes from crypto.getRandomValues, written as 64 lowercase hex digits;
//   the commitment is WebCrypto's SHA-256 of the canonical JSON that
//   thidua_domain::yearend::draw::commitment hashes:
//   {"covenant":C,"tag":"thidua-commit/v1","unit":U,"value":HEX} (compact, keys in byte order;
//   ids are lowercase ASCII letters, digits, '-', '_' and '.', so JSON.stringify writes the same
//   bytes as serde_json). The secret is shown to be saved (a small text file, the same format
//   `thidua assign commit` writes, or the clipboard); the form sends the commitment alone: the
//   secret's field has no name and sits outside the form.
// - Reveal: the saved file can be read here to fill in the secret.
// Without this script (or without WebCrypto, outside HTTPS) the leader pastes a commitment made
// with `thidua assign commit`.
"use strict";

const TAG = "thidua-commit/v1";

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function commitment(covenant, unit, value) {
  const json = JSON.stringify({ covenant, tag: TAG, unit, value });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json));
  return toHex(new Uint8Array(digest));
}

// The secret file: "key: value" lines after comments, as `thidua assign commit` writes it.
function secretFile(covenant, unit, value, hash) {
  return [
    "# thidua: giá trị bí mật bốc thăm / seed secret.",
    "# Giữ kín đến khi công bố / keep it secret until you reveal it:",
    "#   read -rs THIDUA_TOKEN && export THIDUA_TOKEN",
    "#   thidua assign reveal --secret-file THIS_FILE --server …",
    `tag: ${TAG}`,
    `covenant: ${covenant}`,
    `unit: ${unit}`,
    `value: ${value}`,
    `commitment: ${hash}`,
    "",
  ].join("\n");
}

function parseSecretFile(text) {
  const fields = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([a-z]+):\s*(\S+)\s*$/.exec(line.trim());
    if (m) fields[m[1]] = m[2];
  }
  return fields;
}

async function prepareCommit(form) {
  const unit = form.dataset.seedUnit;
  const maker = document.getElementById(`seed-maker-${unit}`);
  if (!maker) return;
  if (!(window.crypto && crypto.subtle && crypto.getRandomValues)) {
    document.getElementById(`seed-no-webcrypto-${unit}`).hidden = false;
    return;
  }
  const covenant = maker.dataset.covenant;
  const value = toHex(crypto.getRandomValues(new Uint8Array(32)));
  const hash = await commitment(covenant, unit, value);
  const secretField = document.getElementById(`seed-secret-${unit}`);
  const hashField = document.getElementById(`commit-hash-${unit}`);
  const saved = document.getElementById(`seed-saved-${unit}`);
  const button = document.getElementById(`commit-${unit}`);
  const status = document.getElementById(`seed-status-${unit}`);
  secretField.value = value;
  hashField.value = hash;
  hashField.readOnly = true;
  button.disabled = true;
  saved.addEventListener("change", () => {
    button.disabled = !saved.checked;
  });
  document.getElementById(`seed-download-${unit}`).addEventListener("click", () => {
    const blob = new Blob([secretFile(covenant, unit, value, hash)], { type: "text/plain" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${unit}.${covenant}.seed.txt`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  document.getElementById(`seed-copy-${unit}`).addEventListener("click", async () => {
    secretField.select();
    try {
      await navigator.clipboard.writeText(value);
      status.textContent = maker.dataset.copied;
    } catch (_) {
      // Outside a secure context the field stays selected for Ctrl+C.
    }
  });
  maker.hidden = false;
}

function prepareReveal(form) {
  const unit = form.dataset.unit;
  const box = document.getElementById(`reveal-file-box-${unit}`);
  const input = document.getElementById(`reveal-file-${unit}`);
  const field = document.getElementById(`reveal-secret-${unit}`);
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const f = parseSecretFile(await file.text());
    if (f.unit !== unit || f.covenant !== form.dataset.covenant || !f.value) {
      field.setCustomValidity(form.dataset.wrongFile);
      field.reportValidity();
      return;
    }
    field.setCustomValidity("");
    field.value = f.value;
  });
  field.addEventListener("input", () => field.setCustomValidity(""));
  box.hidden = false;
}

document.querySelectorAll("form[data-seed-unit]").forEach((form) => {
  prepareCommit(form).catch((e) => console.error(e));
});
document.querySelectorAll("form[id^=reveal-form-]").forEach(prepareReveal);
