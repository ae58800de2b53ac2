//! tlog-cosignature v1 (Ed25519) witness cosignatures.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use thidua_ledger::cosignature::{ALG_COSIGNATURE_V1, MAX_TIMESTAMP};
use thidua_ledger::note::key_hash;
use thidua_ledger::{
    cosigned_message, leaf_hash, open_checkpoint, sign_checkpoint, Checkpoint, Cosignature,
    CosignatureVerifier, CosignerKey, LedgerError, NoteVerifier, Signer, Verifier,
};

fn checkpoint() -> Checkpoint {
    Checkpoint::new("example.com/behind-the-sofa", 20852163, leaf_hash(b"sofa"))
}

#[test]
fn message_format() {
    let cp = Checkpoint::new("example.com/behind-the-sofa", 20852163, [0u8; 32]);
    assert_eq!(
        String::from_utf8(cosigned_message(&cp.to_note_text(), 1679315147)).unwrap(),
        "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    );
    assert!(String::from_utf8(cosigned_message("x\n", 0))
        .unwrap()
        .starts_with("cosignature/v1\ntime 0\n"));
}

#[test]
fn cosign_and_verify() {
    let key = CosignerKey::generate("witness.example.com/w1").unwrap();
    let ver = key.verifier();
    let cp = checkpoint();
    let cosig = key.cosign(&cp, 1679315147).unwrap();
    assert_eq!(ver.verify_cosignature(&cp, &cosig).unwrap(), 1679315147);

    // Line format: "— name base64(keyhash ‖ ts ‖ sig)\n".
    let line = cosig.to_line();
    let (name, b64) = line
        .strip_prefix("\u{2014} ")
        .unwrap()
        .trim_end()
        .split_once(' ')
        .unwrap();
    assert_eq!(name, "witness.example.com/w1");
    let raw = STANDARD.decode(b64).unwrap();
    assert_eq!(raw.len(), 76);
    assert_eq!(raw[..4], key.key_hash().to_be_bytes());
    assert_eq!(raw[4..12], 1679315147u64.to_be_bytes());
    assert_eq!(Cosignature::from_line(&line).unwrap(), cosig);
    assert_eq!(ver.verify_line(&cp, &line).unwrap(), 1679315147);

    // Key hash uses signature type 0x04.
    let vk = ver.to_key_string();
    let typed = STANDARD.decode(vk.splitn(3, '+').nth(2).unwrap()).unwrap();
    assert_eq!(typed[0], ALG_COSIGNATURE_V1);
    assert_eq!(key_hash("witness.example.com/w1", &typed), key.key_hash());

    // Raw Ed25519 check of the payload against the spec's message.
    let pk = ed25519_dalek::VerifyingKey::from_bytes(typed[1..].try_into().unwrap()).unwrap();
    let sig = ed25519_dalek::Signature::from_slice(&raw[12..]).unwrap();
    pk.verify_strict(&cosigned_message(&cp.to_note_text(), 1679315147), &sig)
        .unwrap();

    // Tampering.
    let mut other = cp.clone();
    other.size += 1;
    assert!(matches!(
        ver.verify_cosignature(&other, &cosig),
        Err(LedgerError::InvalidSignature { .. })
    ));
    let mut later = cosig.clone();
    later.timestamp += 1;
    assert!(ver.verify_cosignature(&cp, &later).is_err());
    let stranger = CosignerKey::generate("witness.example.com/w1")
        .unwrap()
        .verifier();
    assert!(matches!(
        stranger.verify_cosignature(&cp, &cosig),
        Err(LedgerError::CosignerMismatch { .. })
    ));
}

#[test]
fn key_strings() {
    let key = CosignerKey::generate("w").unwrap();
    let sk = key.to_key_string();
    assert!(sk.starts_with("PRIVATE+KEY+w+"));
    let again: CosignerKey = sk.parse().unwrap();
    assert_eq!(again.verifier(), key.verifier());
    let vk = key.verifier().to_string();
    let parsed: CosignatureVerifier = vk.parse().unwrap();
    assert_eq!(parsed, key.verifier());
    assert_eq!(NoteVerifier::name(&parsed), "w");

    // A note (0x01) key is not a cosigner key and vice versa.
    let (note_sk, note_vk) = thidua_ledger::generate_key("w").unwrap();
    assert!(matches!(
        CosignerKey::from_key_string(&note_sk),
        Err(LedgerError::UnsupportedKeyAlgorithm(1))
    ));
    assert!(matches!(
        CosignatureVerifier::from_key_string(&note_vk),
        Err(LedgerError::UnsupportedKeyAlgorithm(1))
    ));
    assert!(Verifier::from_key_string(&vk).is_err());
    assert!(Signer::from_key_string(&sk).is_err());
    assert!(CosignerKey::generate("bad name").is_err());
}

#[test]
fn timestamps_bounded() {
    let key = CosignerKey::generate("w").unwrap();
    let cp = checkpoint();
    assert!(key.cosign(&cp, MAX_TIMESTAMP).is_ok());
    assert!(matches!(
        key.cosign(&cp, MAX_TIMESTAMP + 1),
        Err(LedgerError::TimestampOutOfRange(_))
    ));
    let mut c = key.cosign(&cp, 5).unwrap();
    c.timestamp = u64::MAX;
    let line = c.to_line();
    assert!(matches!(
        Cosignature::from_line(&line),
        Err(LedgerError::TimestampOutOfRange(_))
    ));
    assert!(Cosignature::from_line("\u{2014} w AAAA\n").is_err());
    assert!(Cosignature::from_line("- w AAAA\n").is_err());
}

#[test]
fn cosigned_checkpoint_opens_with_log_and_witness_keys() {
    let (log_sk, log_vk) = thidua_ledger::generate_key("example.com/behind-the-sofa").unwrap();
    let log = Signer::from_key_string(&log_sk).unwrap();
    let log_v = Verifier::from_key_string(&log_vk).unwrap();
    let w1 = CosignerKey::generate("witness.example.com/w1").unwrap();
    let w2 = CosignerKey::generate("witness.example.com/w2").unwrap();
    let cp = checkpoint();
    let mut note = sign_checkpoint(&cp, &[&log]).unwrap();
    note.push_str(&w1.cosign(&cp, 100).unwrap().to_line());
    note.push_str(&w2.cosign(&cp, 200).unwrap().to_line());

    let w1v = w1.verifier();
    let opened = open_checkpoint(note.as_bytes(), &[&log_v, &w1v]).unwrap();
    assert_eq!(opened.checkpoint, cp);
    let verified: Vec<_> = opened
        .note
        .verified
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        verified,
        ["example.com/behind-the-sofa", "witness.example.com/w1"]
    );
    assert_eq!(opened.note.unverified.len(), 1);
    let w2sig = Cosignature::from_note_signature(&opened.note.unverified[0]).unwrap();
    assert_eq!(w2sig.timestamp, 200);
    assert_eq!(w2.verifier().verify_cosignature(&cp, &w2sig).unwrap(), 200);

    // A witness cosignature over a different checkpoint poisons the note.
    let mut forged = sign_checkpoint(&cp, &[&log]).unwrap();
    let mut other = cp.clone();
    other.size -= 1;
    let bad = w1.cosign(&other, 100).unwrap();
    forged.push_str(&bad.to_line());
    assert!(matches!(
        open_checkpoint(forged.as_bytes(), &[&log_v, &w1v]),
        Err(LedgerError::InvalidSignature { .. })
    ));
}

#[test]
fn timestamped_cosigner_and_resign() {
    let (log_sk, log_vk) = thidua_ledger::generate_key("log.example").unwrap();
    let log = Signer::from_key_string(&log_sk).unwrap();
    let log_v = Verifier::from_key_string(&log_vk).unwrap();
    let w1 = CosignerKey::generate("w1.example").unwrap();
    let w2 = CosignerKey::generate("w2.example").unwrap();
    let cp = Checkpoint::new("log.example", 3, leaf_hash(b"r"));

    // Cosigning via the NoteSigner adapter equals `cosign` + `to_line`.
    let via_note = thidua_ledger::sign_note(&cp.to_note_text(), &[&w1.at(42)]).unwrap();
    let line = w1.cosign(&cp, 42).unwrap().to_line();
    assert_eq!(via_note, format!("{}\n{line}", cp.to_note_text()));
    // ...and refuses non-checkpoint text.
    assert!(thidua_ledger::sign_note("hello\n", &[&w1.at(42)]).is_err());

    // Log signs, a witness sees only the log key, the log re-signs adding
    // both witnesses; re-signing with an existing key replaces it.
    let signed = sign_checkpoint(&cp, &[&log]).unwrap();
    let opened = open_checkpoint(signed.as_bytes(), &[&log_v]).unwrap();
    let with_w = thidua_ledger::resign_note(&opened.note, &[&w1.at(1), &w2.at(2)]).unwrap();
    let (w1v, w2v) = (w1.verifier(), w2.verifier());
    let all = open_checkpoint(with_w.as_bytes(), &[&log_v, &w1v, &w2v]).unwrap();
    let names: Vec<_> = all.note.verified.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["log.example", "w1.example", "w2.example"]);
    let again = thidua_ledger::resign_note(&all.note, &[&w1.at(5)]).unwrap();
    let reopened = open_checkpoint(again.as_bytes(), &[&log_v, &w1v, &w2v]).unwrap();
    let names: Vec<_> = reopened
        .note
        .verified
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["log.example", "w2.example", "w1.example"]);
    let w1sig = reopened
        .note
        .verified
        .iter()
        .find(|s| s.name == "w1.example")
        .unwrap();
    assert_eq!(
        Cosignature::from_note_signature(w1sig).unwrap().timestamp,
        5
    );
}
