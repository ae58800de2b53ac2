//! Signed notes and checkpoints: the Go reference vectors byte for byte,
//! plus the opening rules.

use std::fs;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;
use thidua_ledger::note::{generate_key_with_rng, key_hash, MAX_SIGNATURES};
use thidua_ledger::{
    generate_key, leaf_hash, open_checkpoint, open_note, sign_checkpoint, sign_note, Checkpoint,
    LedgerError, NoteSigner, NoteVerifier, Signer, Verifier,
};

use crate::common::data_dir;

fn vectors() -> Value {
    let s = fs::read_to_string(data_dir().join("signed-note/vectors.json")).unwrap();
    serde_json::from_str(&s).unwrap()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = match p.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[*p],
        };
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} not a string"))
}

fn names(sigs: &[thidua_ledger::Signature]) -> Vec<&str> {
    sigs.iter().map(|s| s.name.as_str()).collect()
}

fn peter() -> (Signer, Verifier) {
    let v = vectors();
    (
        Signer::from_key_string(s(&v, &["keys", "0", "signer_key"])).unwrap(),
        Verifier::from_key_string(s(&v, &["keys", "0", "verifier_key"])).unwrap(),
    )
}

#[test]
fn keys_parse_and_round_trip() {
    let v = vectors();
    for k in v["keys"].as_array().unwrap() {
        let ver = Verifier::from_key_string(k["verifier_key"].as_str().unwrap()).unwrap();
        assert_eq!(ver.name(), k["name"].as_str().unwrap());
        assert_eq!(
            format!("{:08x}", ver.key_hash()),
            k["key_id_hex"].as_str().unwrap()
        );
        assert_eq!(ver.to_key_string(), k["verifier_key"].as_str().unwrap());
        if let Some(sk) = k["signer_key"].as_str() {
            let signer = Signer::from_key_string(sk).unwrap();
            assert_eq!(signer.to_key_string(), sk);
            assert_eq!(signer.verifier(), ver);
            assert_eq!(signer.key_hash(), ver.key_hash());
        }
    }
}

#[test]
fn sign_reproduces_go_byte_for_byte() {
    let v = vectors();
    let signer = Signer::from_key_string(s(&v, &["sign", "signer_key"])).unwrap();
    let got = sign_note(s(&v, &["sign", "text"]), &[&signer]).unwrap();
    assert_eq!(got, s(&v, &["sign", "want_note"]));
}

#[test]
fn open_with_each_verifier_set() {
    let v = vectors();
    let msg = s(&v, &["open", "note"]).as_bytes();
    let (_, peter) = peter();
    let enoch = Verifier::from_key_string(s(&v, &["keys", "1", "verifier_key"])).unwrap();

    let n = open_note(msg, &[&peter]).unwrap();
    let want = &v["open"]["with_peter_only"];
    assert_eq!(
        names(&n.verified),
        want["verified"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        names(&n.unverified),
        want["unverified"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(n.text, s(&v, &["sign", "text"]));
    assert_eq!(n.unverified[0].key_hash, enoch.key_hash());

    let n = open_note(msg, &[&peter, &enoch]).unwrap();
    assert_eq!(names(&n.verified), ["PeterNeumann", "EnochRoot"]);
    assert!(n.unverified.is_empty());
    assert!(v["open"]["with_both"]["unverified"]
        .as_array()
        .unwrap()
        .is_empty());

    let err = open_note(msg, &[]).unwrap_err();
    assert!(s(&v, &["open", "with_none"]).contains("no verifiable signature"));
    assert!(err.to_string().contains("no verifiable signature"), "{err}");
    let LedgerError::NoVerifiableSignature(note) = err else {
        panic!("wrong error {err:?}")
    };
    assert_eq!(names(&note.unverified), ["PeterNeumann", "EnochRoot"]);
}

#[test]
fn bad_verifier_keys_rejected() {
    let v = vectors();
    let bad = v["bad_verifier_keys"].as_array().unwrap();
    assert_eq!(bad.len(), 2);
    for k in bad {
        let k = k.as_str().unwrap();
        assert!(Verifier::from_key_string(k).is_err(), "{k} accepted");
    }
    // The second one has algorithm byte 0x65 ('Z' in base64 position 0).
    assert!(matches!(
        Verifier::from_key_string(bad[1].as_str().unwrap()),
        Err(LedgerError::UnsupportedKeyAlgorithm(0x65))
    ));
}

#[test]
fn tree_note_text() {
    let v = vectors();
    let t = &v["tree_note"];
    let cp = Checkpoint::new(
        t["origin"].as_str().unwrap(),
        t["size"].as_u64().unwrap(),
        leaf_hash(t["record"].as_str().unwrap().as_bytes()),
    );
    let text = cp.to_note_text();
    assert_eq!(text, t["want_text"].as_str().unwrap());
    assert_eq!(Checkpoint::parse(&text).unwrap(), cp);
}

#[test]
fn malformed_keys() {
    let (signer, ver) = peter();
    let vk = ver.to_key_string();
    let sk = signer.to_key_string();
    for bad in [
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3z+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+",
        "PeterNeumann+c74f20a3+!!!!",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ] {
        assert!(Verifier::from_key_string(bad).is_err(), "{bad:?} accepted");
    }
    // Wrong hash.
    let wrong = vk.replace("c74f20a3", "c74f20a4");
    assert!(matches!(
        Verifier::from_key_string(&wrong),
        Err(LedgerError::KeyHashMismatch { .. })
    ));
    // Upper-case hex is accepted, as by Go's ParseUint.
    assert!(Verifier::from_key_string(&vk.replace("c74f20a3", "C74F20A3")).is_ok());
    // Signer keys.
    assert!(Signer::from_key_string(&vk).is_err());
    assert!(Signer::from_key_string(&sk.replace("PRIVATE+KEY", "PRIVATE+KEX")).is_err());
    assert!(matches!(
        Signer::from_key_string(&sk.replace("c74f20a3", "00000000")),
        Err(LedgerError::KeyHashMismatch { .. })
    ));
    assert!(Verifier::from_key_string(&sk).is_err());
}

#[test]
fn generated_keys_work() {
    let (sk, vk) = generate_key("thidua.example/log").unwrap();
    let signer: Signer = sk.parse().unwrap();
    let ver: Verifier = vk.parse().unwrap();
    assert_eq!(signer.verifier(), ver);
    let mut typed = vec![0x01];
    let raw = STANDARD.decode(vk.splitn(3, '+').nth(2).unwrap()).unwrap();
    typed.extend_from_slice(&raw[1..]);
    assert_eq!(key_hash("thidua.example/log", &typed), ver.key_hash());
    let note = sign_note("hello\n", &[&signer]).unwrap();
    let opened = open_note(note.as_bytes(), &[&ver]).unwrap();
    assert_eq!(opened.text, "hello\n");
    for bad in ["", "a b", "a+b", "a\u{00a0}b"] {
        assert!(matches!(
            generate_key(bad),
            Err(LedgerError::InvalidKeyName(_))
        ));
    }
    let mut rng = rand_core::OsRng;
    assert!(generate_key_with_rng("x", &mut rng).is_ok());
}

#[test]
fn sign_rules() {
    let (signer, _) = peter();
    assert!(matches!(
        sign_note("no newline", &[&signer]),
        Err(LedgerError::InvalidNoteText(_))
    ));
    assert!(matches!(
        sign_note("", &[&signer]),
        Err(LedgerError::InvalidNoteText(_))
    ));
    assert!(matches!(
        sign_note("tab\there\n", &[&signer]),
        Err(LedgerError::InvalidNoteText(_))
    ));
    // Text with blank lines (and ending in one) still round-trips.
    let (_, ver) = peter();
    for text in ["a\n\nb\n", "a\n\n", "\n"] {
        let n = sign_note(text, &[&signer]).unwrap();
        assert_eq!(open_note(n.as_bytes(), &[&ver]).unwrap().text, text);
    }
}

fn signed() -> String {
    let v = vectors();
    s(&v, &["open", "note"]).to_owned()
}

fn malformed(msg: &str) {
    let (_, ver) = peter();
    match open_note(msg.as_bytes(), &[&ver]) {
        Err(LedgerError::MalformedNote(_)) => {}
        other => panic!("{msg:?}: expected MalformedNote, got {other:?}"),
    }
}

#[test]
fn open_rejects_malformed() {
    let good = signed();
    let (text, sigs) = good.split_at(good.rfind("\n\n").unwrap() + 1);
    let sig_line = sigs[1..].lines().next().unwrap();
    malformed("");
    malformed(text); // no signature block
    malformed(&format!("{text}\n")); // empty signature block
    malformed(&good[..good.len() - 1]); // no final newline
    malformed(&format!(
        "{text}\n{}\n",
        sig_line.replacen('\u{2014}', "-", 1)
    ));
    malformed(&format!(
        "{text}\n{}\n",
        sig_line.replacen("\u{2014} ", "\u{2014}", 1)
    ));
    malformed(&format!("{text}\n\u{2014} PeterNeumann\n"));
    malformed(&format!("{text}\n\u{2014} PeterNeumann \n"));
    malformed(&format!("{text}\n\u{2014} PeterNeumann !!!!\n"));
    malformed(&format!("{text}\n\u{2014} PeterNeumann AAAAAA==\n")); // 4 bytes < 5
    malformed(&format!("{text}\n\u{2014} Peter+Neumann AAAAAAA=\n"));
    malformed(&format!("{text}\n{sig_line}\n\n")); // trailing blank line
    malformed(&format!("{text}\n{sig_line}\nextra\n"));
    malformed(&format!("bell\u{7}\n\n{sig_line}\n"));
    malformed(&format!("cr\r\n\n{sig_line}\n"));
    let (_, ver) = peter();
    let mut bytes = good.clone().into_bytes();
    bytes[0] = 0xff;
    assert!(matches!(
        open_note(&bytes, &[&ver]),
        Err(LedgerError::MalformedNote(_))
    ));
}

#[test]
fn open_signature_rules() {
    let good = signed();
    let (text, sigs) = good.split_at(good.rfind("\n\n").unwrap() + 1);
    let mut lines = sigs[1..].lines();
    let peter_line = lines.next().unwrap();
    let enoch_line = lines.next().unwrap();
    let (signer, ver) = peter();

    // Tampered text: known key fails -> whole note rejected.
    let tampered = good.replacen("think", "thinc", 1);
    assert!(matches!(
        open_note(tampered.as_bytes(), &[&ver]),
        Err(LedgerError::InvalidSignature { .. })
    ));
    // Same text, unknown key only for the tampered signature: still ok.
    let n = open_note(tampered.as_bytes(), &[]).unwrap_err();
    assert!(matches!(n, LedgerError::NoVerifiableSignature(_)));

    // Duplicates: repeated known signature counted once, repeated identical
    // unknown signature line kept once.
    let dup = format!("{text}\n{peter_line}\n{peter_line}\n{enoch_line}\n{enoch_line}\n");
    let n = open_note(dup.as_bytes(), &[&ver]).unwrap();
    assert_eq!(names(&n.verified), ["PeterNeumann"]);
    assert_eq!(names(&n.unverified), ["EnochRoot"]);

    // Same name, different key hash -> unknown key, kept unverified.
    let other = generate_key("PeterNeumann").unwrap();
    let other_signer = Signer::from_key_string(&other.0).unwrap();
    let two = sign_note(text, &[&signer, &other_signer]).unwrap();
    let n = open_note(two.as_bytes(), &[&ver]).unwrap();
    assert_eq!(names(&n.verified), ["PeterNeumann"]);
    assert_eq!(n.unverified.len(), 1);
    assert_eq!(n.unverified[0].key_hash, other_signer.key_hash());

    // Ambiguous verifier list.
    let ver2 = ver.clone();
    assert!(matches!(
        open_note(good.as_bytes(), &[&ver, &ver2]),
        Err(LedgerError::AmbiguousVerifier { .. })
    ));

    // Too many signatures.
    let mut many = format!("{text}\n{peter_line}\n");
    for i in 0..MAX_SIGNATURES {
        many.push_str(&format!(
            "\u{2014} unknown{i} {}\n",
            STANDARD.encode([i as u8; 68])
        ));
    }
    assert!(matches!(
        open_note(many.as_bytes(), &[&ver]),
        Err(LedgerError::TooManySignatures { limit: 100 })
    ));
    // Exactly the limit is fine.
    let mut ok = format!("{text}\n{peter_line}\n");
    for i in 0..MAX_SIGNATURES - 1 {
        ok.push_str(&format!(
            "\u{2014} unknown{i} {}\n",
            STANDARD.encode([i as u8; 68])
        ));
    }
    assert_eq!(
        open_note(ok.as_bytes(), &[&ver]).unwrap().unverified.len(),
        99
    );
}

#[test]
fn checkpoint_parse_strict() {
    let root = leaf_hash(b"x");
    let r = STANDARD.encode(root);
    let good = format!("example.com/log\n42\n{r}\n");
    let cp = Checkpoint::parse(&good).unwrap();
    assert_eq!(
        (cp.origin.as_str(), cp.size, cp.root),
        ("example.com/log", 42, root)
    );
    assert!(cp.extensions.is_empty());

    let with_ext = format!("example.com/log\n0\n{r}\next one\nnext\n");
    let cp = Checkpoint::parse(&with_ext).unwrap();
    assert_eq!(cp.extensions, ["ext one", "next"]);
    assert_eq!(cp.to_note_text(), with_ext);
    assert_eq!(
        Checkpoint::parse(&format!("o\n18446744073709551615\n{r}\n"))
            .unwrap()
            .size,
        u64::MAX
    );

    let mut bad_root = r.clone().into_bytes();
    // Flip the lowest (padding) bit of the last data character: same bytes,
    // non-canonical encoding.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let i = ALPHABET.iter().position(|&c| c == bad_root[42]).unwrap();
    bad_root[42] = ALPHABET[i ^ 1];
    let bad_root = String::from_utf8(bad_root).unwrap();
    for bad in [
        String::new(),
        format!("example.com/log\n42\n{r}"),
        format!("\n42\n{r}\n"),
        format!("o\n042\n{r}\n"),
        format!("o\n+42\n{r}\n"),
        format!("o\n-1\n{r}\n"),
        format!("o\n 42\n{r}\n"),
        format!("o\n\n{r}\n"),
        format!("o\n18446744073709551616\n{r}\n"),
        format!("o\n42\n{}\n", &r[..r.len() - 1]),
        format!("o\n42\n{}\n", STANDARD.encode([0u8; 31])),
        format!("o\n42\n{}\n", STANDARD.encode([0u8; 33])),
        format!("o\n42\n{bad_root}\n"),
        format!("o\n42\n{r}\n\n"),
        format!("o\n42\n{r}\next\n\n"),
        "o\n42\n".to_string(),
        format!("o\t\n42\n{r}\n"),
    ] {
        assert!(
            matches!(
                Checkpoint::parse(&bad),
                Err(LedgerError::MalformedCheckpoint(_))
            ),
            "{bad:?} accepted"
        );
    }
}

#[test]
fn checkpoint_sign_open() {
    let (signer, ver) = peter();
    let mut cp = Checkpoint::new("thidua.example/log", 7, leaf_hash(b"root"));
    let msg = sign_checkpoint(&cp, &[&signer]).unwrap();
    let opened = open_checkpoint(msg.as_bytes(), &[&ver]).unwrap();
    assert_eq!(opened.checkpoint, cp);
    assert_eq!(names(&opened.note.verified), ["PeterNeumann"]);

    cp.extensions.push(String::new());
    assert!(matches!(
        sign_checkpoint(&cp, &[&signer]),
        Err(LedgerError::MalformedCheckpoint(_))
    ));
    cp.extensions.clear();
    cp.origin = "two\nlines".into();
    assert!(sign_checkpoint(&cp, &[&signer]).is_err());

    // A correctly signed note that is not a checkpoint.
    let not_cp = sign_note("hello\n", &[&signer]).unwrap();
    assert!(matches!(
        open_checkpoint(not_cp.as_bytes(), &[&ver]),
        Err(LedgerError::MalformedCheckpoint(_))
    ));
    // Wrong key.
    let other = Verifier::from_key_string(&generate_key("PeterNeumann").unwrap().1).unwrap();
    assert!(matches!(
        open_checkpoint(msg.as_bytes(), &[&other]),
        Err(LedgerError::NoVerifiableSignature(_))
    ));
    let _: &dyn NoteSigner = &signer;
    let _: &dyn NoteVerifier = &ver;
}
