#!/usr/bin/env python3
"""Independent checker of a Thi Đua transparency log, written from the documentation alone.

An outside reviewer wrote it for this project from docs/event-encoding.md, ARCHITECTURE.md,
README.md, the OpenAPI document the server serves at /api/openapi.json, and the public
specifications they cite: C2SP signed-note, C2SP tlog-checkpoint, C2SP tlog-cosignature and
RFC 6962 / RFC 9162 (Merkle tree hashing, inclusion and consistency proofs). It shares no code
with the Rust implementation; the repository's test crates/thidua/tests/independent_log.rs runs it
offline on the golden events and the format-1 fixture, and online against a test server.

Dependencies: the Python 3 standard library, and the `openssl` command-line tool (OpenSSL 3,
`pkeyutl -rawin`) for Ed25519 signatures. Nothing else.

Usage:
    python3 check_log.py --server URL [--log-key VKEY] [--witness-key VKEY ...]  # token: $THIDUA_TOKEN
    python3 check_log.py --server URL --user LOGIN      # password in $THIDUA_PASSWORD: signs in
                                                         # on the web form, makes a token, revokes it
    python3 check_log.py --golden crates/thidua-domain/tests/golden/events.txt   # offline
    python3 check_log.py --log-file crates/thidua/tests/data/log-format1.jsonl   # offline
Options: --docs FILE (docs/event-encoding.md, found beside the repository by default: its table
of each kind's `data` fields is read and every event checked against it), --probe-limit N,
--proof-sample N, -v.

What is checked (every check is counted; failures are printed):
  1. the verifier key of GET /api/v1/log/key: `name+hash+base64(type||key)`, type 0x01 Ed25519,
     hash = SHA-256(name || "\n" || type || key)[:4]; optionally equal to --log-key (second channel);
  2. the newest checkpoint (GET /api/v1/log/checkpoint): signed-note syntax, tlog-checkpoint body,
     origin = key name, the log's Ed25519 signature;
  3. every entry [0, size): leaf hash = SHA-256(0x00 || bytes) for every entry whose bytes the
     caller may read, the bytes canonical (decode, re-encode per docs/event-encoding.md, compare),
     NFC text, the envelope, the kind's `data` fields and their JSON types (the docs' table),
     /entries and /leaves agree, the stored interior nodes (/leaves?level=L) match, the Merkle
     root recomputed from the leaf hashes equals the checkpoint's root; every signed checkpoint
     listed by GET /api/v1/log/checkpoints is verified the same way, and a sample of sizes is
     probed to confirm the list (a listed size answers 200, another 404);
  4. inclusion and consistency proofs (all or a sample of indices and sizes, inside batches too)
     verified with the RFC 9162 algorithms AND compared node for node with the proofs computed
     here; the documented refusals;
  5. witness cosignatures (C2SP tlog-cosignature, cosignature/v1, key type 0x04) on the
     checkpoints and on GET /api/v1/log/witnessed, against the witness keys registered in the log
     (`witness_key_registered` events, readable by a member; a unit's newest key replaces its
     older ones), the public list GET /api/v1/log/witnesses (which an anonymous caller uses, and
     a member compares with the log), or keys given with --witness-key; the quorum the docs
     describe and the x-witness-* headers;
  6. for a member, the hashes the docs define over event contents that the log alone determines
     (covenant version hashes signed by leaders, seed commitments, mid-year review hashes), and
  7. that GET /api/v1/events lists exactly the entries the member may read;
  plus the access rules the OpenAPI document gives /entries: anonymous callers read no bytes, a
  token that is given and invalid is answered 401, an unknown query parameter 400.
Offline (no server): --golden FILE checks the pinned events of
crates/thidua-domain/tests/golden/events.txt (every kind canonical and of the documented shape,
pinned leaf hashes, non-canonical variants refused); --log-file FILE checks a JSONL log of
canonical events, one a line (canonical bytes, shapes and content hashes).
Things the documentation does not say are printed as `note:` lines, not failures.
Exit status 0 if every check passed, 1 otherwise.
"""

import argparse
import base64
import hashlib
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

EM_DASH = "\u2014"

# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


class Report:
    """Counts checks; prints every failure (and the first few per label), and notes."""

    def __init__(self, verbose=False, silent=False):
        self.silent = silent
        self.passed = 0
        self.failed = 0
        self.fail_by_label = {}
        self.verbose = verbose
        self.notes = []

    def check(self, cond, label, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            n = self.fail_by_label.get(label, 0) + 1
            self.fail_by_label[label] = n
            if not self.silent and (n <= 5 or self.verbose):
                print(f"  FAIL {label}" + (f": {detail}" if detail else ""))
        return cond

    def note(self, text):
        self.notes.append(text)
        print(f"  note: {text}")

    def section(self, title):
        print(f"== {title}")


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------


class Client:
    def __init__(self, server, token=None):
        self.server = server.rstrip("/")
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.anonymous = urllib.request.build_opener()   # no token, no session cookie

    def request(self, path, params=None, method="GET", body=None, headers=None, auth=True,
                anonymous=False):
        """`auth`: send the bearer token; `anonymous`: send neither the token nor the session
        cookie (only the Authorization header `headers` may carry)."""
        url = self.server + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        h = dict(headers or {})
        if auth and not anonymous and self.token:
            h["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(url, data=body, headers=h, method=method)
        try:
            with (self.anonymous if anonymous else self.opener).open(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get_json(self, path, params=None):
        status, _, body = self.request(path, params)
        if status != 200:
            raise RuntimeError(f"GET {path} {params}: HTTP {status}: {body[:200]!r}")
        return json.loads(body)

    def get_text(self, path, params=None):
        status, headers, body = self.request(path, params)
        return status, headers, body.decode("utf-8", errors="strict") if status == 200 else body

    def sign_in_and_make_token(self, user, password):
        """The web flow of README/OpenAPI: /login form (CSRF field), then POST /api/v1/me/tokens
        with the session cookie and the `x-csrf-token` header. Returns (token, id)."""
        _, _, page = self.request("/login", auth=False)
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": csrf, "user": user, "password": password}).encode()
        self.request("/login", method="POST", body=form, auth=False,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        _, _, page = self.request("/account", auth=False)
        m = re.search(rb'name="csrf" value="([^"]+)"', page)
        if not m or b"/logout" not in page:
            raise RuntimeError("sign-in failed")
        status, _, body = self.request(
            "/api/v1/me/tokens", method="POST", auth=False,
            body=json.dumps({"label": "check_log.py"}).encode(),
            headers={"Content-Type": "application/json", "x-csrf-token": m.group(1).decode()})
        if status != 201:
            raise RuntimeError(f"token creation: HTTP {status} {body[:200]!r}")
        created = json.loads(body)
        self.csrf = m.group(1).decode()
        return created["token"], created["id"]

    def revoke_token(self, token_id):
        self.request(f"/api/v1/me/tokens/{token_id}", method="DELETE", auth=False,
                     headers={"x-csrf-token": self.csrf})


# ---------------------------------------------------------------------------------------------
# Ed25519 through the openssl command line
# ---------------------------------------------------------------------------------------------

# DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410): SEQUENCE { SEQUENCE { OID
# 1.3.101.112 }, BIT STRING (0 unused bits) 32 bytes }.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


class Ed25519:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="check_log_")
        self.cache = {}

    def _path(self, name):
        return os.path.join(self.dir, name)

    def verify(self, pub, msg, sig):
        if len(pub) != 32 or len(sig) != 64:
            return False
        key = (pub, msg, sig)
        if key in self.cache:
            return self.cache[key]
        with open(self._path("pub.der"), "wb") as f:
            f.write(ED25519_SPKI_PREFIX + pub)
        with open(self._path("msg"), "wb") as f:
            f.write(msg)
        with open(self._path("sig"), "wb") as f:
            f.write(sig)
        r = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", self._path("pub.der"),
             "-keyform", "DER", "-rawin", "-in", self._path("msg"), "-sigfile", self._path("sig")],
            capture_output=True)
        ok = r.returncode == 0 and b"Signature Verified Successfully" in r.stdout
        self.cache[key] = ok
        return ok

    def self_test(self):
        """Sign with a fresh key and check that a good signature verifies and a bad one does not,
        so that an openssl that cannot do Ed25519 (or always says yes) is noticed."""
        k = self._path("test.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", k], check=True,
                       capture_output=True)
        der = subprocess.run(["openssl", "pkey", "-in", k, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True).stdout
        assert der.startswith(ED25519_SPKI_PREFIX) and len(der) == 44
        with open(self._path("tmsg"), "wb") as f:
            f.write(b"self test\n")
        sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", k, "-rawin", "-in",
                              self._path("tmsg")], check=True, capture_output=True).stdout
        pub = der[len(ED25519_SPKI_PREFIX):]
        good = self.verify(pub, b"self test\n", sig)
        bad = self.verify(pub, b"self test!\n", sig)
        return good and not bad


# ---------------------------------------------------------------------------------------------
# C2SP signed notes, verifier keys, checkpoints, cosignatures
# ---------------------------------------------------------------------------------------------

SIG_ED25519 = 0x01        # C2SP signed-note: Ed25519 signature type
SIG_COSIGNATURE_V1 = 0x04  # C2SP tlog-cosignature: cosignature/v1 (Ed25519, with a timestamp)


def key_id(name, sig_type, pub):
    """C2SP signed-note key ID: SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + pub).digest()[:4]


def parse_vkey(vkey, rep, label, want_type):
    """`<name>+<hash>+<base64(type || key)>`; returns (name, id, pub) or None."""
    parts = vkey.strip().split("+", 2)   # the base64 key may itself contain '+'
    if not rep.check(len(parts) == 3, f"{label}: verifier key is name+hash+key", vkey):
        return None
    name, hexid, b64 = parts
    rep.check(name != "" and not re.search(r"\s", name),
              f"{label}: key name non-empty, no spaces or '+'", name)
    rep.check(re.fullmatch(r"[0-9a-f]{8}", hexid) is not None,
              f"{label}: key hash is 8 lowercase hex digits", hexid)
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        rep.check(False, f"{label}: key is standard base64", b64)
        return None
    if not rep.check(len(raw) == 33 and raw[0] == want_type,
                     f"{label}: key is type 0x{want_type:02x} followed by 32 bytes",
                     f"{len(raw)} bytes, type 0x{raw[0]:02x}"):
        return None
    pub = raw[1:]
    kid = key_id(name, want_type, pub)
    rep.check(kid.hex() == hexid, f"{label}: key hash = SHA-256(name\\n type key)[:4]",
              f"{kid.hex()} != {hexid}")
    return name, kid, pub


def parse_note(text, rep, label):
    """C2SP signed note: text (non-empty lines ending in newline), a blank line, then signature
    lines `— <name> <base64(keyid(4) || signature)>`. Returns (body bytes, [(name, blob)])."""
    if not rep.check(text.endswith("\n") and "\n\n" in text, f"{label}: note has a signature block"):
        return None, []
    rep.check(not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", text),
              f"{label}: note has no control characters but newlines")
    cut = text.rindex("\n\n")
    body = text[:cut + 1]
    sigs = []
    for line in text[cut + 2:].split("\n")[:-1]:
        m = re.fullmatch(EM_DASH + r" (\S+) ([A-Za-z0-9+/=]+)", line)
        if not rep.check(m is not None, f"{label}: signature line syntax", line):
            continue
        blob = base64.b64decode(m.group(2), validate=True)
        if rep.check(len(blob) > 4, f"{label}: signature longer than its key ID", line):
            sigs.append((m.group(1), blob))
    return body.encode("utf-8"), sigs


def parse_checkpoint(body, rep, label):
    """C2SP tlog-checkpoint body: origin, decimal size, base64 root hash, extension lines."""
    lines = body.decode("utf-8").split("\n")[:-1]
    if not rep.check(len(lines) >= 3 and all(lines), f"{label}: checkpoint has 3+ non-empty lines"):
        return None
    origin, size_s, root_b64 = lines[:3]
    rep.check(re.fullmatch(r"0|[1-9][0-9]*", size_s) is not None,
              f"{label}: size is a decimal without leading zeros", size_s)
    root = base64.b64decode(root_b64, validate=True)
    rep.check(len(root) == 32, f"{label}: root hash is 32 bytes")
    if len(lines) > 3:
        rep.note(f"{label}: checkpoint extension lines {lines[3:]}")
    return origin, int(size_s), root


def verify_log_signature(sigs, body, log_key, ed, rep, label):
    """Exactly one signature must be by the log key (name and key ID), and it must verify."""
    name, kid, pub = log_key
    mine = [blob for (n, blob) in sigs if n == name and blob[:4] == kid]
    if not rep.check(len(mine) >= 1, f"{label}: signed by the log key {name}"):
        return False
    return rep.check(any(len(b) == 68 and ed.verify(pub, body, b[4:]) for b in mine),
                     f"{label}: log signature verifies")


def verify_cosignature(blob, body, wkey, ed):
    """C2SP tlog-cosignature v1: blob = keyid(4) || timestamp(8, big-endian) || sig(64) over
    "cosignature/v1\\ntime <timestamp>\\n" || checkpoint body. Returns the timestamp or None."""
    name, kid, pub = wkey
    if len(blob) != 4 + 8 + 64 or blob[:4] != kid:
        return None
    ts = int.from_bytes(blob[4:12], "big")
    msg = b"cosignature/v1\ntime " + str(ts).encode() + b"\n" + body
    return ts if ed.verify(pub, msg, blob[12:]) else None


# ---------------------------------------------------------------------------------------------
# RFC 6962 / RFC 9162 Merkle tree
# ---------------------------------------------------------------------------------------------


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_pow2_below(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class Tree:
    """The tree over a list of leaf hashes, with a cache of subtree roots MTH(D[lo:hi])."""

    def __init__(self, leaves):
        self.leaves = leaves
        self.cache = {}

    def mth(self, lo, hi):
        if hi - lo == 1:
            return self.leaves[lo]
        if hi == lo:
            return hashlib.sha256(b"").digest()
        key = (lo, hi)
        if key not in self.cache:
            k = largest_pow2_below(hi - lo)
            self.cache[key] = node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))
        return self.cache[key]

    def roots_at(self, sizes):
        """Roots of every wanted size in one pass, with a frontier of complete subtrees."""
        wanted, out, stack = set(sizes), {}, []
        for i, h in enumerate(self.leaves):
            height, node = 0, h
            while stack and stack[-1][0] == height:
                node = node_hash(stack.pop()[1], node)
                height += 1
            stack.append((height, node))
            if i + 1 in wanted:
                r = stack[-1][1]
                for _, left in reversed(stack[:-1]):
                    r = node_hash(left, r)
                out[i + 1] = r
        return out

    def path(self, m, lo, hi):
        """RFC 6962 PATH(m, D[lo:hi]), m relative to lo."""
        n = hi - lo
        if n <= 1:
            return []
        k = largest_pow2_below(n)
        if m < k:
            return self.path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def subproof(self, m, lo, hi, b):
        """RFC 6962 SUBPROOF(m, D[lo:hi], b)."""
        n = hi - lo
        if m == n:
            return [] if b else [self.mth(lo, hi)]
        k = largest_pow2_below(n)
        if m <= k:
            return self.subproof(m, lo, lo + k, b) + [self.mth(lo + k, hi)]
        return self.subproof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 §2.1.4.2."""
    if first > second or first == 0:
        return False
    if first == second:
        return proof == [] and first_root == second_root
    if first & (first - 1) == 0:
        proof = [first_root] + proof
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---------------------------------------------------------------------------------------------
# The canonical encoding of events (docs/event-encoding.md)
# ---------------------------------------------------------------------------------------------

# The kinds and formats of the table "Kinds and their formats".
KIND_FORMATS = {k: {1} for k in """
user_registered role_granted role_revoked unit_created unit_renamed lineage_recorded
cluster_created cluster_year_set cluster_leadership_set movement_created covenant_draft_withdrawn
covenant_signed covenant_frozen witness_key_registered witness_policy_set figures_saved
figures_submitted figures_approved figures_reopened figures_deadline_set figures_rules_set
historical_import_recorded historical_figures_recorded document_issued standing_recorded
election_opened ceremony_posted voter_key_registered ballot_cast round_closed decryption_posted
round_counted second_round_opened tie_decided paper_count_recorded paper_count_confirmed
paper_count_withdrawn year_end_opened dossier_saved dossier_submitted conflict_declared
seed_committed seed_revealed assignment_drawn assignment_decided records_declared
finding_submitted response_submitted dispute_resolved eligibility_recorded year_end_locked
cutoff_tie_decided results_published beacon_pinned beacon_recorded midyear_review_frozen
flag_explained year_end_deadline_moved electronic_count_abandoned
holidays_declared election_cancelled election_concluded lineage_withdrawn password_reset
""".split()}
KIND_FORMATS["covenant_drafted"] = {1, 2}
KIND_FORMATS["covenant_draft_amended"] = {1, 2}
KIND_FORMATS["year_end_opened"] = {1, 2, 3}  # format 2: reveal_deadline; 3: last_year_by_lineage
KIND_FORMATS["document_issued"] = {1, 2}  # format 2: subject
KIND_FORMATS["holidays_declared"] = {1, 2}  # format 2: working_days
KIND_FORMATS["tie_decided"] = {1, 2}  # format 2: deputy_silent

# The newest format of each kind: the one the docs' table of `data` fields describes.
LATEST_FORMAT = {k: max(v) for k, v in KIND_FORMATS.items()}

ID_FULL = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
HEX_RE = re.compile(r"(?:[0-9a-f]{2})+")

# The JSON types of docs/event-encoding.md's table "The `data` of each kind".
BASE_TYPES = {
    "id": lambda v: isinstance(v, str) and ID_FULL.fullmatch(v) is not None,
    "text": lambda v: isinstance(v, str),
    "string": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str) and DATE_RE.fullmatch(v) is not None,
    "decimal": lambda v: isinstance(v, str) and DECIMAL_RE.fullmatch(v) is not None,
    "hex": lambda v: isinstance(v, str) and HEX_RE.fullmatch(v) is not None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
}


def parse_type(text):
    """`T or null`, `array of T` or a base type: returns a predicate on a decoded JSON value."""
    text = text.strip()
    if text.endswith(" or null"):
        inner = parse_type(text[: -len(" or null")])
        return lambda v: v is None or inner(v)
    if text.startswith("array of "):
        inner = parse_type(text[len("array of "):])
        return lambda v: isinstance(v, list) and all(inner(x) for x in v)
    if text not in BASE_TYPES:
        raise ValueError(f"unknown type {text!r}")
    return BASE_TYPES[text]


# kind -> {field: (type text, predicate, omitted when absent)}; empty: not loaded (no check).
DATA_FIELDS = {}


def load_data_fields(path):
    """Reads the table between `<!-- data-fields: begin -->` and `<!-- data-fields: end -->`:
    rows `| `kind`[, `kind`…] | `name`: type; `name?`: type … | notes |`."""
    text = open(path, encoding="utf-8").read()
    begin, end = "<!-- data-fields: begin -->", "<!-- data-fields: end -->"
    if begin not in text or end not in text:
        raise ValueError(f"{path}: no table of data fields")
    table = text[text.index(begin) + len(begin): text.index(end)]
    out = {}
    for line in table.strip().split("\n"):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue   # the header and its rule
        kinds = re.findall(r"`([a-z_]+)`", cells[0])
        fields = {}
        for part in cells[1].split(";"):
            m = re.fullmatch(r"`([a-z0-9_]+)(\?)?`: (.+)", part.strip())
            if m is None:
                raise ValueError(f"{path}: cannot read the field {part.strip()!r} of {kinds}")
            fields[m.group(1)] = (m.group(3), parse_type(m.group(3)), m.group(2) == "?")
        for kind in kinds:
            out[kind] = fields
    return out


def check_data(ev, rep, label):
    """The event's `data` has exactly the fields the docs' table gives its kind (optional ones may
    be omitted), each of its JSON type. Events of an older format than the newest are skipped:
    the table describes the format written today."""
    kind = ev["kind"]
    if not DATA_FIELDS or LATEST_FORMAT.get(kind) != ev["v"]:
        return
    fields = DATA_FIELDS.get(kind)
    if not rep.check(fields is not None, "kind has a row in the docs' table of data fields", kind):
        return
    data = ev["data"]
    unknown = sorted(set(data) - set(fields))
    missing = sorted(f for f, (_, _, optional) in fields.items() if not optional and f not in data)
    rep.check(not unknown and not missing, "data has exactly the documented fields",
              f"{label} ({kind}): unknown {unknown}, missing {missing}")
    for name, value in data.items():
        if name in fields:
            type_text, ok, _ = fields[name]
            rep.check(ok(value), "data field has its documented JSON type",
                      f"{label} ({kind}): {name} = {json.dumps(value)[:80]} is not {type_text}")


ENVELOPE_KEYS = {"v", "index", "time_ms", "actor", "salt", "kind", "data"}
ID_RE = re.compile(r"[a-z0-9._-]+")

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n",
                  "\f": "\\f", "\r": "\\r"}


def canon_string(s):
    out = ['"']
    for ch in s:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))      # lowercase hex digits
        else:
            out.append(ch)                       # raw UTF-8, Vietnamese letters included
    out.append('"')
    return "".join(out)


def canon(v):
    """Compact JSON, keys sorted by their UTF-8 bytes at every depth, serde_json escapes."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return canon_string(v)
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: kv[0].encode("utf-8"))
        return "{" + ",".join(canon_string(k) + ":" + canon(x) for k, x in items) + "}"
    raise ValueError(f"not a canonical JSON value: {v!r}")


def canon_bytes(v):
    return canon(v).encode("utf-8")


class NotCanonical(ValueError):
    pass


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise NotCanonical(f"duplicate key {k!r}")
        d[k] = v
    return d


def _no_float(s):
    raise NotCanonical(f"a JSON number with a fraction or exponent: {s}")


def decode_event(raw):
    """Strict decode: UTF-8, JSON, no duplicate keys, integers only (decimals are strings)."""
    text = raw.decode("utf-8", errors="strict")
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_no_float,
                      parse_constant=_no_float)


def all_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from all_strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from all_strings(x)


def check_event(raw, index, rep):
    """Returns the decoded event if it is canonical and well-formed, else None."""
    label = f"entry {index}"
    failed_before = rep.failed
    try:
        ev = decode_event(raw)
    except (UnicodeDecodeError, ValueError) as e:
        rep.check(False, "event decodes as strict UTF-8 JSON", f"{label}: {e}")
        return None
    try:
        again = canon_bytes(ev)
    except (ValueError, UnicodeEncodeError) as e:
        rep.check(False, "event re-encodes", f"{label}: {e}")
        return None
    if not rep.check(again == raw, "event bytes are canonical (re-encoding gives the same bytes)",
                     f"{label}: {raw[:120]!r} vs {again[:120]!r}"):
        return None
    rep.check(all(unicodedata.is_normalized("NFC", s) for s in all_strings(ev)),
              "all text in NFC", label)
    rep.check(not any("\r" in s for s in all_strings(ev)),
              "no carriage return in any text (line breaks are written as \\n)", label)
    if not rep.check(isinstance(ev, dict) and set(ev) == ENVELOPE_KEYS,
                     "envelope has exactly v,index,time_ms,actor,salt,kind,data",
                     f"{label}: {sorted(ev) if isinstance(ev, dict) else type(ev)}"):
        return None
    rep.check(ev["index"] == index, "envelope index = position in the log",
              f"{label}: index {ev['index']}")
    rep.check(isinstance(ev["time_ms"], int) and ev["time_ms"] >= 0, "time_ms is a non-negative integer", label)
    rep.check(isinstance(ev["salt"], str) and re.fullmatch(r"[0-9a-f]{32}", ev["salt"]) is not None,
              "salt is 16 bytes of lowercase hex", label)
    a = ev["actor"]
    rep.check(a == {"type": "system"} or (isinstance(a, dict) and set(a) == {"id", "type"}
                                           and a["type"] == "user" and isinstance(a["id"], str)
                                           and ID_RE.fullmatch(a["id"]) is not None),
              "actor is {type:system} or {id,type:user}", f"{label}: {a}")
    rep.check(ev["kind"] in KIND_FORMATS, "kind is a documented kind", f"{label}: {ev['kind']}")
    rep.check(ev["v"] in KIND_FORMATS.get(ev["kind"], set()),
              "format v is documented for the kind", f"{label}: {ev['kind']} v{ev['v']}")
    if rep.check(isinstance(ev["data"], dict), "data is an object", label):
        check_data(ev, rep, label)
    return ev if rep.failed == failed_before else None


# ---------------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------------


def fetch_entries(client, size):
    """GET /api/v1/log/entries in pages of at most 1,000 (fewer than asked: ask again)."""
    out, start = [], 0
    while start < size:
        page = client.get_json("/api/v1/log/entries", {"start": start, "end": min(size, start + 1000)})["entries"]
        if not page:
            raise RuntimeError(f"/entries returned nothing at {start}")
        out.extend(page)
        start += len(page)
    return out


def fetch_nodes(client, size, level=0):
    """GET /api/v1/log/leaves (level 0: leaf hashes; level L: complete subtrees of 2^L)."""
    count = size >> level
    out, start = [], 0
    while start < count:
        page = client.get_json("/api/v1/log/leaves", {"start": start, "end": count, "level": level})
        if not page["leaf_hashes"]:
            raise RuntimeError(f"/leaves returned nothing at level {level} start {start}")
        out.extend(bytes.fromhex(h) for h in page["leaf_hashes"])
        start += len(page["leaf_hashes"])
    return out


def fetch_checkpoint_sizes(client, rep):
    """GET /api/v1/log/checkpoints from size 1, 1,000 sizes a page, following `next`."""
    sizes, start, newest = [], 1, None
    while True:
        page = client.get_json("/api/v1/log/checkpoints", {"from": start, "limit": 1000})
        rep.check(page["from"] == start and page["limit"] == 1000,
                  "/checkpoints names the window it examined")
        rep.check(all(start <= s < start + 1000 for s in page["sizes"]),
                  "/checkpoints lists sizes of its window only", str(start))
        newest = page["newest"] if newest is None else newest
        sizes.extend(page["sizes"])
        if page["next"] is None:
            return sizes
        rep.check(page["next"] == start + 1000, "/checkpoints' next follows its window")
        start = page["next"]


def sample(indices, limit):
    indices = list(indices)
    if len(indices) <= limit:
        return indices
    step = len(indices) / limit
    picked = {indices[int(i * step)] for i in range(limit)} | {indices[0], indices[-1]}
    return sorted(picked)


def run(args):
    rep = Report(args.verbose)
    client = Client(args.server, args.token)
    ed = Ed25519()
    token_id = None
    if args.user:
        password = os.environ.get("THIDUA_PASSWORD")
        if password is None:
            import getpass
            password = getpass.getpass(f"password of {args.user}: ")
        client.token, token_id = client.sign_in_and_make_token(args.user, password)
    who = "member (bearer token)" if client.token else "anonymous"
    print(f"Checking {client.server} as {who}")
    try:
        run_checks(args, rep, client, ed)
    finally:
        if token_id:
            client.revoke_token(token_id)
    print(f"\n{rep.passed} checks passed, {rep.failed} failed")
    for label, n in sorted(rep.fail_by_label.items()):
        print(f"  {n:6d} x {label}")
    return 0 if rep.failed == 0 else 1


def run_checks(args, rep, client, ed):
    # 0. The tool we rely on.
    rep.section("openssl Ed25519 self-test")
    if not rep.check(ed.self_test(), "openssl verifies Ed25519 (good accepted, bad refused)"):
        raise SystemExit("openssl cannot verify Ed25519 signatures (needs OpenSSL 3 pkeyutl -rawin)")

    # 1. The log's verifier key.
    rep.section("1. log verifier key (GET /api/v1/log/key)")
    status, _, text = client.get_text("/api/v1/log/key")
    rep.check(status == 200, "GET /api/v1/log/key answers 200", str(status))
    vkey = text.strip()
    print(f"  served: {vkey}")
    if args.log_key:
        rep.check(vkey == args.log_key.strip(), "served key = key given by a second channel (--log-key)")
    log_key = parse_vkey(vkey, rep, "log key", SIG_ED25519)
    if log_key is None:
        raise SystemExit("no usable log key")

    # 2. The newest checkpoint.
    rep.section("2. newest checkpoint (GET /api/v1/log/checkpoint)")
    status, _, text = client.get_text("/api/v1/log/checkpoint")
    rep.check(status == 200, "GET /api/v1/log/checkpoint answers 200", str(status))
    body, sigs = parse_note(text, rep, "checkpoint")
    origin, size, root = parse_checkpoint(body, rep, "checkpoint")
    rep.check(origin == log_key[0], "checkpoint origin = log key name", f"{origin} vs {log_key[0]}")
    verify_log_signature(sigs, body, log_key, ed, rep, "newest checkpoint")
    print(f"  origin {origin}, size {size}, root {root.hex()}, {len(sigs)} signature line(s)")
    checkpoints = {size: (body, sigs, root)}

    # 3. Entries, leaf hashes, canonical bytes, tree, root.
    rep.section(f"3. entries [0, {size}), leaf hashes, canonical bytes, Merkle root")
    entries = fetch_entries(client, size)
    leaves_served = fetch_nodes(client, size, 0)
    rep.check(len(entries) == size and [e["index"] for e in entries] == list(range(size)),
              "/entries returns every index once, in order")
    rep.check(len(leaves_served) == size, "/leaves returns `size` leaf hashes")
    leaves, events = [], {}
    for e, lh in zip(entries, leaves_served):
        i, h = e["index"], bytes.fromhex(e["leaf_hash"])
        rep.check(h == lh, "/entries leaf_hash = /leaves leaf hash", f"entry {i}")
        if e.get("bytes") is not None:
            raw = base64.b64decode(e["bytes"], validate=True)
            rep.check(leaf_hash(raw) == h, "leaf hash = SHA-256(0x00 || canonical bytes)", f"entry {i}")
            ev = check_event(raw, i, rep)
            if ev is not None:
                events[i] = ev
        leaves.append(h)
    readable = sum(1 for e in entries if e.get("bytes") is not None)
    print(f"  {size} entries, {readable} readable by this caller, {len(events)} canonical")
    if not client.token:
        rep.check(readable == 0, "an anonymous caller reads no entry's contents (OpenAPI)")
    times = [events[i]["time_ms"] for i in sorted(events)]
    if any(b < a for a, b in zip(times, times[1:])):
        rep.note("time_ms decreases somewhere along the readable events")

    tree = Tree(leaves)
    # The access rules of /entries (OpenAPI): `level` belongs to /leaves only, and an unknown
    # query parameter is refused; a token that is given and invalid is answered 401, never
    # served as an anonymous caller.
    st, _, body = client.request("/api/v1/log/entries", {"start": 0, "end": 1, "level": 1})
    rep.check(st == 400, "/entries refuses a parameter it does not take (`level`) with 400", str(st))
    st, _, body = client.request("/api/v1/log/entries", {"start": 0, "end": 1}, anonymous=True,
                                 headers={"Authorization": "Bearer not-a-token"})
    rep.check(st == 401 and json.loads(body or b"{}").get("error") == "invalid_token",
              "/entries answers 401 invalid_token for an invalid token", f"{st} {body[:100]!r}")
    if client.token:
        st, _, body = client.request("/api/v1/log/entries", {"start": 0, "end": 1}, anonymous=True)
        anonymous = json.loads(body)["entries"] if st == 200 else []
        rep.check(st == 200 and all(e.get("bytes") is None for e in anonymous),
                  "/entries answers an anonymous caller 200 without any entry's bytes", str(st))

    # The stored interior nodes (OpenAPI: /leaves?level=L, "so verifiers can check every stored node").
    level = 1
    while (size >> level) > 0:
        nodes = fetch_nodes(client, size, level)
        w = 1 << level
        bad = [j for j, n in enumerate(nodes) if n != tree.mth(j * w, (j + 1) * w)]
        rep.check(len(nodes) == size >> level and not bad,
                  "stored nodes of complete subtrees (/leaves?level=L) = recomputed", f"level {level}: {bad[:5]}")
        level += 1

    # Every signed checkpoint: GET /api/v1/log/checkpoints lists the sizes that have one (one per
    # append transaction); each is fetched, its signature and root checked.
    listed = fetch_checkpoint_sizes(client, rep)
    rep.check(listed and listed[-1] == size, "the list of signed sizes ends at the newest checkpoint",
              f"{listed[-3:]} vs {size}")
    rep.check(listed == sorted(set(listed)) and all(1 <= s <= size for s in listed),
              "the list of signed sizes is ascending, without repeats, within [1, newest]")
    for s in listed:
        if s == size:
            continue
        st, _, t = client.get_text("/api/v1/log/checkpoint", {"size": s})
        if not rep.check(st == 200, "a listed size's checkpoint answers 200", f"{s}: {st}"):
            continue
        b, sg = parse_note(t, rep, f"checkpoint {s}")
        o, sz, r = parse_checkpoint(b, rep, f"checkpoint {s}")
        rep.check(sz == s and o == origin, "checkpoint?size=s is of size s and the same origin", str(s))
        verify_log_signature(sg, b, log_key, ed, rep, f"checkpoint {s}")
        checkpoints[s] = (b, sg, r)
    roots = tree.roots_at(list(checkpoints))
    for s, (_, _, r) in sorted(checkpoints.items()):
        rep.check(roots[s] == r, "recomputed Merkle root = signed checkpoint root", f"size {s}")
    # A sample of sizes confirms the list: a size inside a batch has no checkpoint (404).
    listed_set = set(listed)
    probe = sample([s for s in range(1, size) if s not in listed_set], args.probe_limit)
    for s in probe:
        st, _, _ = client.request("/api/v1/log/checkpoint", {"size": s})
        rep.check(st == 404, "a size missing from the list has no checkpoint (404)", f"{s}: {st}")
    print(f"  {len(checkpoints)} signed checkpoints listed and verified, {len(probe)} unlisted sizes "
          f"probed (404); root at {size} recomputed: {roots[size].hex()}")

    # 4. Inclusion and consistency proofs.
    rep.section("4. inclusion and consistency proofs")
    for i in sample(range(size), args.proof_sample):
        p = client.get_json("/api/v1/log/proof/inclusion", {"index": i, "size": size})
        proof = [bytes.fromhex(x) for x in p["proof"]]
        rep.check(p["index"] == i and p["size"] == size, "inclusion proof names index and size")
        rep.check(verify_inclusion(i, size, leaves[i], proof, root),
                  "inclusion proof verifies (RFC 9162) against the signed root", f"index {i}")
        rep.check(proof == tree.path(i, 0, size), "inclusion proof = PATH computed here", f"index {i}")
    ordered = sorted(checkpoints)
    pairs = list(zip(ordered, ordered[1:])) + [(s, size) for s in sample(range(1, size + 1), args.proof_sample)]
    for m, n in pairs:
        p = client.get_json("/api/v1/log/proof/consistency", {"from": m, "to": n})
        proof = [bytes.fromhex(x) for x in p["proof"]]
        rep.check(p["from"] == m and p["to"] == n, "consistency proof names from and to")
        first = checkpoints[m][2] if m in checkpoints else tree.roots_at([m])[m]
        second = checkpoints[n][2] if n in checkpoints else tree.roots_at([n])[n]
        rep.check(verify_consistency(m, n, first, second, proof),
                  "consistency proof verifies (RFC 9162)", f"{m} -> {n}")
        rep.check(proof == tree.subproof(m, 0, n, True), "consistency proof = PROOF computed here", f"{m} -> {n}")
    # Proofs for sizes inside a batch (docs: served for any size up to the newest signed one):
    # the last entry of such a tree, against the root recomputed here.
    inside = sample([s for s in range(1, size) if s not in checkpoints], max(1, args.proof_sample // 10))
    inside_roots = tree.roots_at(inside)
    for m in inside:
        p = client.get_json("/api/v1/log/proof/inclusion", {"index": m - 1, "size": m})
        proof = [bytes.fromhex(x) for x in p["proof"]]
        rep.check(verify_inclusion(m - 1, m, leaves[m - 1], proof, inside_roots[m]) and proof == tree.path(m - 1, 0, m),
                  "inclusion proof in a tree without a checkpoint of its own verifies", f"size {m}")
    # Error answers the documentation promises (400 with the error code).
    def refused(path, params, code, label):
        st, _, body = client.request(path, params)
        err = json.loads(body).get("error") if st == 400 else None
        rep.check(st == 400 and err == code, label, f"{st} {err}")
    refused("/api/v1/log/proof/inclusion", {"index": size, "size": size}, "index_out_of_range",
            "inclusion proof with index = size is refused (400 index_out_of_range)")
    refused("/api/v1/log/proof/consistency", {"from": 1, "to": size + 1}, "size_not_published",
            "consistency proof past the newest signed size is refused (400 size_not_published)")
    refused("/api/v1/log/proof/inclusion", {"index": 0, "size": size + 1}, "size_not_published",
            "inclusion proof past the newest signed size is refused (400 size_not_published)")
    refused("/api/v1/log/checkpoints", {"from": 1, "limit": 1001}, "bad_range",
            "/checkpoints refuses a limit over 1,000 (400 bad_range)")

    # 5. Witness cosignatures.
    rep.section("5. witness cosignatures")
    witness_keys, replaced, listed = witness_keys_known(args, client, events, size, rep)
    if not witness_keys:
        rep.note("no witness key known to this caller: cosignatures are not checked")
    else:
        print("  witness keys: " + ", ".join(
            f"{name} (unit {w['unit']}, entry {w['at']}, from {w['source']})"
            for (name, _), w in sorted(witness_keys.items())))

    def cosigners(body, sigs, at_size):
        """The cosignatures on a note that verify, by key name: (unit, timestamp, counts)."""
        ok = {}
        for name, blob in sigs:
            if name == log_key[0]:
                continue
            kid = (name, blob[:4])
            if kid in replaced and kid not in witness_keys:
                rep.note(f"cosignature by {name} on size {at_size}: a key its unit has since "
                         f"replaced (entry {replaced[kid]}), which no longer counts")
                continue
            if kid not in witness_keys:
                rep.note(f"cosignature by {name} on size {at_size}: key unknown to this caller")
                continue
            w = witness_keys[kid]
            ts = verify_cosignature(blob, body, w["key"], ed)
            if rep.check(ts is not None, "witness cosignature verifies (cosignature/v1)", f"{name} on {at_size}"):
                ok[name] = (w["unit"], ts, w["counts"])
                if w["at"] >= at_size:
                    rep.note(f"{name} cosigned size {at_size}, not above its registration (entry {w['at']})")
        return ok

    n_cosigs = 0
    for s, (b, sg, _) in sorted(checkpoints.items()):
        n_cosigs += len(cosigners(b, sg, s))
    print(f"  {n_cosigs} cosignature(s) verified on the signed checkpoints")
    st, hdr, text = client.get_text("/api/v1/log/witnessed")
    if st == 404:
        rep.note("no witnessed checkpoint (404)")
    elif rep.check(st == 200, "GET /api/v1/log/witnessed answers 200 or 404", str(st)):
        b, sg = parse_note(text, rep, "witnessed")
        o, ws, wr = parse_checkpoint(b, rep, "witnessed")
        rep.check(o == origin and 1 <= ws <= size, "witnessed checkpoint: same origin, not past the newest")
        verify_log_signature(sg, b, log_key, ed, rep, "witnessed checkpoint")
        rep.check(ws <= size and tree.roots_at([ws]).get(ws) == wr,
                  "witnessed root = root recomputed here", f"size {ws}")
        hdr = {k.lower(): v for k, v in hdr.items()}
        units = [u for u in hdr.get("x-witness-units", "").split(",") if u]
        quorum = int(hdr.get("x-witness-quorum", "0"))
        if listed is not None:
            rep.check(quorum == listed["quorum"], "x-witness-quorum = the quorum of /api/v1/log/witnesses",
                      f"{quorum} vs {listed['quorum']}")
        if witness_keys:
            ok = cosigners(b, sg, ws)
            counting = {u for (u, _, counts) in ok.values() if counts and u}
            print(f"  witnessed size {ws}: {len(ok)} cosignature(s) verified, {len(counting)} of "
                  f"witnesses that count; server says units {units}, quorum {quorum}")
            rep.check(quorum > 0 and len(counting) >= quorum,
                      "witnessed checkpoint carries a quorum of valid cosignatures of witnesses that count",
                      f"{len(counting)} < {quorum}")
            if all(w["unit"] for w in witness_keys.values()):
                rep.check(set(units) == counting,
                          "x-witness-units are exactly the counting units whose cosignatures verify",
                          f"{units} vs {sorted(counting)}")
        else:
            print(f"  witnessed size {ws}; server says units {units}, quorum {quorum}")
            rep.note("cosignatures on the witnessed checkpoint not checked: no witness key")
        cp = checkpoints.get(ws)
        rep.check(cp is None or cp[2] == wr, "witnessed checkpoint = signed checkpoint of that size")
        if 1 <= ws < size:
            p = client.get_json("/api/v1/log/proof/consistency", {"from": ws, "to": size})
            rep.check(verify_consistency(ws, size, wr, root, [bytes.fromhex(x) for x in p["proof"]]),
                      "newest checkpoint is consistent with the witnessed one")

    # 6. For a member: hashes the docs define over event contents, and the history endpoint.
    if events:
        check_content_hashes(events, rep)
    if client.token:
        check_history_matches(client, entries, events, size, rep)


def witness_keys_known(args, client, events, size, rep):
    """The witness keys to check cosignatures with, by key name: {unit, key, at (registration
    index, -1 if unknown), source, counts}, keyed by (key name, key ID). From --witness-key (trusted as given), the log's
    `witness_key_registered` events this caller reads (a unit's newest key replaces its older
    ones, docs: "Witness cosignatures"), and GET /api/v1/log/witnesses (public), which is
    compared with the log where the caller reads the registration, and checked against the
    documented quorum. Returns (keys, replaced keys -> the entry that replaced them, the
    /witnesses answer)."""
    keys, replaced = {}, {}
    for vk in args.witness_key or []:
        k = parse_vkey(vk, rep, "witness key (--witness-key)", SIG_COSIGNATURE_V1)
        if k:
            keys[k[:2]] = {"unit": None, "key": k, "at": -1, "source": "--witness-key", "counts": True}
    registered, policy = {}, None          # unit -> (key text, index, parsed)
    ceased = {}                            # unit with a key -> the day its end took effect
    ended_by = {}                          # a lineage record's index -> the keyed units it ended
    for i, ev in sorted(events.items()):
        d = ev["data"]
        if ev["kind"] == "lineage_recorded":
            # docs: a merger or split that ends a unit with a witness key: the key no longer counts.
            for u in d.get("predecessors") or []:
                if u not in (d.get("successors") or []) and u in registered:
                    ceased[u] = d.get("effective")
                    ended_by.setdefault(i, []).append(u)
        elif ev["kind"] == "lineage_withdrawn":
            # docs: a withdrawn record's ended keys count again from the withdrawal on.
            for u in ended_by.pop(d.get("index"), []):
                ceased.pop(u, None)
        elif ev["kind"] == "witness_key_registered":
            k = parse_vkey(d.get("key", ""), rep, f"witness key of entry {i}", SIG_COSIGNATURE_V1)
            old = registered.get(d.get("unit"))
            if old is not None and old[2] is not None:
                replaced[old[2][:2]] = i
            registered[d.get("unit")] = (d.get("key"), i, k)
        elif ev["kind"] == "witness_policy_set":
            policy = {"witnesses": d.get("witnesses"), "quorum": d.get("quorum"), "set_at": i}

    st, _, body = client.request("/api/v1/log/witnesses", anonymous=True)
    listed = None
    if rep.check(st == 200, "GET /api/v1/log/witnesses answers anyone 200", str(st)):
        listed = json.loads(body)
        rep.check(set(listed) == {"quorum", "unmeetable", "policy", "witnesses"}
                  and isinstance(listed["quorum"], int) and isinstance(listed["witnesses"], list),
                  "/witnesses is {quorum, unmeetable, policy, witnesses}", str(sorted(listed)))
        for w in listed["witnesses"]:
            rep.check(set(w) - {"ceased"} == {"unit", "key", "registered_at", "counts"} and ID_FULL.fullmatch(w["unit"]),
                      "a /witnesses entry is {unit, key, registered_at, counts[, ceased]}", str(w)[:100])
            if w["unit"] in ceased:
                rep.check(w.get("ceased") == ceased[w["unit"]] and not w["counts"],
                          "the key of a unit whose end the log records does not count, with the day", w["unit"])
            k = parse_vkey(w["key"], rep, f"witness key of {w['unit']} (/witnesses)", SIG_COSIGNATURE_V1)
            rep.check(0 <= w["registered_at"] < size, "a witness key was registered inside the log",
                      f"{w['unit']}: {w['registered_at']}")
            if w["unit"] in registered:
                text, i, _ = registered[w["unit"]]
                rep.check(w["key"] == text and w["registered_at"] == i,
                          "/witnesses = the unit's newest key registered in the log", w["unit"])
            if k and w["unit"] not in registered:
                keys.setdefault(k[:2], {"unit": w["unit"], "key": k, "at": w["registered_at"],
                                       "source": "/witnesses", "counts": w["counts"]})
        units = {w["unit"] for w in listed["witnesses"]}
        rep.check(set(registered) <= units, "/witnesses lists every unit whose registration this caller reads",
                  f"{sorted(set(registered) - units)}")
        lp = listed["policy"]
        if policy is not None:
            rep.check(lp == policy, "/witnesses' policy = the newest witness_policy_set read in the log",
                      f"{lp} vs {policy}")
        if lp is not None:
            rep.check(listed["quorum"] == lp["quorum"], "under a policy, the quorum is the policy's")
            for w in listed["witnesses"]:
                rep.check(w["counts"] == (w["unit"] in lp["witnesses"] and "ceased" not in w),
                          "under a policy, only the designated units' keys count (not a ceased unit's)", w["unit"])
        else:
            n = len(listed["witnesses"])
            counting = sum(1 for w in listed["witnesses"] if w["counts"])
            rep.check(all(w["counts"] == ("ceased" not in w) for w in listed["witnesses"]),
                      "without a policy, every registered key counts but a ceased unit's")
            expected = max(1, counting - 1) if n else 0
            rep.check(listed["quorum"] == expected,
                      "without a policy, the quorum is the log's default: max(1, n - 1) of the n keys "
                      "that count, 0 without any key", f"{listed['quorum']} vs {expected}")
        counting = sum(1 for w in listed["witnesses"] if w["counts"])
        rep.check(listed["unmeetable"] == (listed["quorum"] > counting),
                  "/witnesses says unmeetable exactly when the quorum exceeds the keys that count")
        counts = {w["unit"]: w["counts"] for w in listed["witnesses"]}
    else:
        counts = {}
    for unit, (text, i, k) in registered.items():
        if k:
            designated = (policy is None or unit in (policy["witnesses"] or [])) and unit not in ceased
            keys[k[:2]] = {"unit": unit, "key": k, "at": i, "source": "log",
                          "counts": counts.get(unit, designated)}
    return keys, replaced, listed


def check_content_hashes(events, rep):
    """Hashes docs/event-encoding.md defines over event contents that the log alone determines."""
    rep.section("6. hashes defined over event contents")
    reveals = {}
    for i, ev in events.items():
        if ev["kind"] == "seed_revealed":
            d = ev["data"]
            reveals[(d.get("covenant"), d.get("unit"))] = d.get("value")
    n_commit = 0
    for i, ev in sorted(events.items()):
        d = ev["data"]
        if ev["kind"] == "seed_committed":
            value = reveals.get((d.get("covenant"), d.get("unit")))
            if value is None:
                continue
            pre = canon_bytes({"covenant": d.get("covenant"), "tag": "thidua-commit/v1",
                               "unit": d.get("unit"), "value": value})
            n_commit += 1
            rep.check(hashlib.sha256(pre).hexdigest() == d.get("commitment"),
                      "seed commitment = SHA-256 of canonical {covenant,tag,unit,value} of its reveal",
                      f"entry {i}")
        elif ev["kind"] == "midyear_review_frozen":
            rest = {k: v for k, v in d.items() if k != "sha256"}
            hashes = []
            for fmt in ("thidua-midyear/v1", "thidua-midyear/v2"):
                rest["format"] = fmt
                hashes.append(hashlib.sha256(canon_bytes(rest)).hexdigest())
            rep.check(d.get("sha256") in hashes,
                      "mid-year review sha256 = SHA-256 of canonical data without sha256, with "
                      "format thidua-midyear/v1 or v2",
                      f"entry {i}")
            rep.check(d.get("at") == i, "mid-year review's `at` is its own index", f"entry {i}")
    n_mid = sum(1 for ev in events.values() if ev["kind"] == "midyear_review_frozen")
    n_cov = check_covenant_hashes(events, rep)
    print(f"  {n_commit} seed commitments checked against their reveals, {n_mid} mid-year review "
          f"hash(es), {n_cov} covenant signature/freeze hash(es)")


def check_covenant_hashes(events, rep):
    """A covenant version's hash (docs/event-encoding.md, "Hashes"): SHA-256 of the canonical JSON
    {"format":"thidua-covenant/v1", covenant, version, movement, cluster, year, members, content}
    where `year` is the movement's year; `members` the cluster's members for that year as the
    latest `cluster_year_set` event listed them when the version was drafted, in that order (not
    sorted); `content` the draft's `content`, replaced by each `covenant_draft_amended` of the
    same covenant and version."""
    movements, members, versions, n = {}, {}, {}, 0
    for i, ev in sorted(events.items()):
        d, kind = ev["data"], ev["kind"]
        if kind == "movement_created":
            movements[d.get("movement")] = d.get("year")
        elif kind == "cluster_year_set":
            members[(d.get("cluster"), d.get("year"))] = d.get("members")
        elif kind == "covenant_drafted":
            year = movements.get(d.get("movement"))
            versions[(d.get("covenant"), d.get("version"))] = {
                "format": "thidua-covenant/v1", "covenant": d.get("covenant"),
                "version": d.get("version"), "movement": d.get("movement"),
                "cluster": d.get("cluster"), "year": year,
                "members": members.get((d.get("cluster"), year)), "content": d.get("content")}
        elif kind == "covenant_draft_amended":
            v = versions.get((d.get("covenant"), d.get("version")))
            if v is not None:
                v["content"] = d.get("content")
        elif kind in ("covenant_signed", "covenant_frozen"):
            v = versions.get((d.get("covenant"), d.get("version")))
            if v is None or v["year"] is None or v["members"] is None:
                continue     # the draft, movement or membership is not readable by this caller
            n += 1
            rep.check(hashlib.sha256(canon_bytes(v)).hexdigest() == d.get("hash"),
                      f"{kind} hash = covenant version hash recomputed from the log", f"entry {i}")
    return n


def check_history_matches(client, entries, events, size, rep):
    """OpenAPI: a member reads in /entries 'what the history shows it' (GET /api/v1/events)."""
    rep.section("7. /api/v1/events shows the entries this member reads")
    shown, before = {}, None
    while True:
        params = {"limit": 200}
        if before is not None:
            params["before"] = before
        page = client.get_json("/api/v1/events", params)
        for it in page["items"]:
            shown[it["index"]] = it
        before = page.get("next_before")
        if before is None or not page["items"]:
            break
    shown = {i: it for i, it in shown.items() if i < size}
    readable = {e["index"] for e in entries if e.get("bytes") is not None}
    rep.check(set(shown) == readable, "indices in /api/v1/events = entries with readable bytes",
              f"only in history: {sorted(set(shown) - readable)[:10]}, "
              f"only in entries: {sorted(readable - set(shown))[:10]}")
    differ = []
    for i, it in shown.items():
        ev = events.get(i)
        if ev is None:
            continue
        a = ev["actor"]
        actor = "system" if a.get("type") == "system" else "user:" + a.get("id", "")
        rep.check(it["kind"] == ev["kind"] and it["time_ms"] == ev["time_ms"] and it["actor"] == actor,
                  "/api/v1/events item has the event's kind, time and actor", f"index {i}")
        if it["data"] != ev["data"]:
            differ.append(ev["kind"])
    if differ:
        # As the OpenAPI document says (EventDto.data): the model's JSON form, not the log's `data`.
        print(f"  /api/v1/events `data` (the model's form) differs from the canonical `data` for "
              f"{len(differ)} events of kinds {sorted(set(differ))}, as documented")


def check_golden(path, rep):
    """The pinned events of crates/thidua-domain/tests/golden/events.txt (named by the docs):
    pairs of lines `<kind> <leaf hash hex>` then the canonical bytes. Each must be canonical, of
    its kind, and hash to the pinned leaf hash; and mutations of it must be refused."""
    rep.section(f"golden events {path}")
    lines = open(path, "rb").read().split(b"\n")
    n = 0
    for head, raw in zip(lines[0::2], lines[1::2]):
        if not head:
            continue
        kind, hexhash = head.decode().split(" ")
        ev = check_event(raw, json.loads(raw)["index"], rep)
        rep.check(ev is not None and ev["kind"] == kind, "golden event canonical and of its kind", kind)
        rep.check(leaf_hash(raw).hex() == hexhash, "golden leaf hash = SHA-256(0x00 || bytes)", kind)
        n += 1
        # Non-canonical variants must be refused (quiet report: only the verdict counts).
        quiet = Report(silent=True)
        ev0 = json.loads(raw)
        reversed_keys = ("{" + ",".join(canon_string(k) + ":" + canon(v)
                                        for k, v in sorted(ev0.items(), reverse=True)) + "}").encode()
        ascii_escaped = json.dumps(ev0, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()
        variants = [raw.replace(b",", b", ", 1),                         # whitespace
                    reversed_keys,                                        # unsorted keys
                    ascii_escaped,                                        # \uXXXX for raw UTF-8
                    raw.replace(b',"v":', b',"v":0', 1),                  # leading zero
                    re.sub(rb'"index":(\d+)', rb'"index":\1.0', raw, count=1),  # 1.0 for 1
                    raw[:-1] + b',"extra":null}',                         # unknown field
                    unicodedata.normalize("NFD", raw.decode()).encode()]  # not NFC
        for var in variants:
            if var is not None and var != raw:
                rep.check(check_event(var, ev0["index"], quiet) is None,
                          "a non-canonical variant of a golden event is refused", kind)
    kinds = {head.decode().split(" ")[0] for head in lines[0::2] if head}
    rep.check(kinds == set(KIND_FORMATS), "the golden file pins one event of every documented kind",
              f"missing {sorted(set(KIND_FORMATS) - kinds)}, unknown {sorted(kinds - set(KIND_FORMATS))}")
    print(f"  {n} golden events")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", help="base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--golden", help="also check a golden events file (offline; see check_golden)")
    ap.add_argument("--log-file", help="also check a JSONL log of canonical events, one a line "
                    "(offline: canonical bytes and the content hashes)")
    ap.add_argument(
        "--token",
        default=os.environ.get("THIDUA_TOKEN", "").strip() or None,
        help="API token of a member (Authorization: Bearer); default: $THIDUA_TOKEN, which "
        "keeps it out of the process list",
    )
    ap.add_argument("--user", help="sign in on the web form as this user and make a temporary "
                    "token (password in $THIDUA_PASSWORD or asked)")
    ap.add_argument("--log-key", help="the log key obtained by a second channel")
    ap.add_argument("--witness-key", action="append", help="a witness verifier key (repeatable)")
    ap.add_argument("--docs", help="docs/event-encoding.md (default: the repository's, found "
                    "from this script's place); its table of `data` fields is checked")
    ap.add_argument("--probe-limit", type=int, default=200,
                    help="how many sizes to probe with /checkpoint?size= to confirm the list of "
                    "signed sizes (/checkpoints)")
    ap.add_argument("--proof-sample", type=int, default=500,
                    help="how many inclusion / consistency proofs to ask for (at most)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = ap.parse_args()
    if not (args.server or args.golden or args.log_file):
        ap.error("--server (or --golden / --log-file) is required")
    docs = args.docs or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", "..", "..", "..", "docs", "event-encoding.md")
    if os.path.exists(docs):
        DATA_FIELDS.update(load_data_fields(docs))
        undocumented = sorted(set(KIND_FORMATS) - set(DATA_FIELDS))
        unknown = sorted(set(DATA_FIELDS) - set(KIND_FORMATS))
        if undocumented or unknown:
            print(f"FAIL the docs' table of data fields: kinds missing {undocumented}, "
                  f"unknown {unknown}")
            sys.exit(1)
        print(f"data fields of {len(DATA_FIELDS)} kinds read from {os.path.normpath(docs)}")
    elif args.docs:
        ap.error(f"no such file: {args.docs}")
    else:
        print("note: docs/event-encoding.md not found: the data fields are not checked")
    status = 0
    if args.log_file:
        rep = Report(args.verbose)
        rep.section(f"log file {args.log_file}")
        lines = [l for l in open(args.log_file, "rb").read().split(b"\n") if l]
        events = {i: check_event(raw, i, rep) for i, raw in enumerate(lines)}
        check_content_hashes({i: e for i, e in events.items() if e is not None}, rep)
        print(f"{len(lines)} events; {rep.passed} checks passed, {rep.failed} failed")
        status |= 0 if rep.failed == 0 else 1
    if args.golden:
        rep = Report(args.verbose)
        check_golden(args.golden, rep)
        print(f"{rep.passed} checks passed, {rep.failed} failed")
        status |= 0 if rep.failed == 0 else 1
    if args.server:
        status |= run(args)
    sys.exit(status)


if __name__ == "__main__":
    main()
