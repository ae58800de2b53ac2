// The voting page's script: encrypts the ballot in this browser with the WebAssembly build of
// thidua-ballot (/static/ballot.wasm), then sends it through the JSON API. The server only
// ever receives the encrypted, signed ballot and the unit's public voting key. The voting key
// is created here and kept in this browser's localStorage.
"use strict";

async function loadBallotModule() {
  const response = await fetch("/static/ballot.wasm");
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  const wasm = instance.exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const call = (name, input) => {
    const bytes = encoder.encode(JSON.stringify(input));
    const ptr = wasm.alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    const packed = wasm[name](ptr, bytes.length);
    const outPtr = Number(packed >> 32n);
    const outLen = Number(packed & 0xffffffffn);
    const text = decoder.decode(new Uint8Array(wasm.memory.buffer, outPtr, outLen));
    wasm.dealloc(outPtr, outLen);
    const result = JSON.parse(text);
    if (result.error) {
      const err = new Error(result.error.message);
      err.code = result.error.code;
      throw err;
    }
    return result.ok;
  };
  const seed = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  return {
    voterKey: () => call("voter_key", { seed: seed() }),
    createBallot: (context, electionKey, voterSecret, selection) =>
      call("ballot_create", {
        context, election_key: electionKey, voter_secret: voterSecret, selection, seed: seed(),
      }),
    verifyBallot: (context, electionKey, voterKey, ballot) =>
      call("ballot_verify", { context, election_key: electionKey, voter_key: voterKey, ballot }),
  };
}

async function postCommand(csrf, command) {
  const response = await fetch("/api/v1/commands", {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    body: JSON.stringify(command),
  });
  const body = await response.json();
  if (!response.ok) {
    const err = new Error(body.message || body.error);
    err.code = body.error;
    throw err;
  }
  return body;
}

// What the ticks choose: { selection } for the ballot module, or { code } of the sentence that
// refuses them (said beside the choices; nothing is sent). An explicit choice is required:
// candidates, "approve none of them" or the abstention, exactly one kind; leaving every box
// empty sends nothing.
function chosenSelection(form) {
  const context = JSON.parse(form.dataset.context);
  const abstain = form.querySelector("input[name=abstain]").checked;
  const approveNone = form.querySelector("input[name=approve_none]").checked;
  const chosen = Array.from(form.querySelectorAll("input[name=candidate]:checked"))
    .map((box) => Number(box.value));
  const kinds = [abstain, approveNone, chosen.length > 0].filter(Boolean).length;
  if (kinds > 1) return { code: "both_chosen" };
  if (abstain) return { selection: "abstain" };
  if (approveNone) return { selection: { approve: [] } };
  if (chosen.length === 0) return { code: "none_chosen" };
  if (chosen.length > context.seats) return { code: "too_many" };
  return { selection: { approve: chosen } };
}

// Shows (code) or clears (null) the refusal of the choices beside them.
function showChoiceError(form, code) {
  const box = document.getElementById("vote-choice-error");
  const fieldset = document.getElementById("vote-choices");
  if (!code) {
    box.hidden = true;
    fieldset.removeAttribute("aria-describedby");
    return;
  }
  box.textContent = JSON.parse(form.dataset.messages)[code];
  box.hidden = false;
  fieldset.setAttribute("aria-describedby", "vote-choice-error");
  document.getElementById("vote-status").textContent = "";
  fieldset.querySelector("input").focus();
}

async function vote(form, module, selection) {
  const d = form.dataset;
  const context = JSON.parse(d.context);
  const status = document.getElementById("vote-status");
  const storageKey = `thidua-voter:${d.election}:${d.unit}`;
  let secret = localStorage.getItem(storageKey);
  let key = secret ? JSON.parse(secret) : null;
  if (!key || key.public !== d.registeredKey) {
    key = module.voterKey();
    await postCommand(d.csrf, {
      command: "vote", vote: "register_voter_key",
      election: d.election, unit: d.unit, key: key.public,
    });
    localStorage.setItem(storageKey, JSON.stringify(key));
    d.registeredKey = key.public;
  }
  status.textContent = d.working;
  const { ballot, hash } = module.createBallot(context, d.electionKey, key.secret, selection);
  const receipt = await postCommand(d.csrf, {
    command: "vote", vote: "cast_ballot",
    election: d.election, round: context.round, unit: d.unit, ballot,
  });
  const link = `/elections/${d.election}/receipt?index=${receipt.first_index}&hash=${hash}`;
  status.textContent = "";
  const done = document.getElementById("vote-receipt");
  done.hidden = false;
  done.querySelector("[data-receipt=hash]").textContent = hash;
  done.querySelector("[data-receipt=index]").textContent = receipt.first_index;
  done.querySelector("a").href = link;
  done.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ballot-form");
  if (!form) return;
  const bench = document.getElementById("ballot-bench");
  loadBallotModule().then((module) => {
    window.thiduaBallot = module;
    form.hidden = false;
    document.getElementById("vote-cli-only").hidden = true;
    form.addEventListener("change", () => showChoiceError(form, null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // The choices are checked before anything is sent (not even the voting key).
      const { selection, code } = chosenSelection(form);
      showChoiceError(form, code);
      if (code) return;
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      vote(form, module, selection)
        .catch((err) => {
          // The page's own sentences, in its language; never the English of the ballot code
          // or of the API's message.
          const messages = JSON.parse(form.dataset.messages);
          document.getElementById("vote-status").textContent =
            messages[err.code] || messages.other;
        })
        .finally(() => { button.disabled = false; });
    });
    if (bench) bench.dataset.ready = "1";
  }).catch(() => {
    document.getElementById("vote-status").textContent =
      JSON.parse(form.dataset.messages).other;
  });
});
