//! Conformance checks for [`AccountStore`] backends: one behaviour, checked the same way on
//! SQLite and PostgreSQL. A backend's tests run them with
//! [`account_store_conformance!`](crate::account_store_conformance), one `#[test]` per
//! scenario, each on a fresh, empty store. (Compiled with the `testing` feature only.)

use crate::accounts::{AccountStore, ApiTokenRecord, SessionRecord, ThrottleRecord};
use crate::sha256;

/// One `#[test]` per scenario of the account store's suite, in the module where it is invoked.
/// `$run` is a function `fn(fn(&dyn AccountStore))` that hands a scenario a fresh, empty store
/// of the backend (or returns without calling it when the backend is unavailable and the test
/// may skip). Every scenario of this module is listed here, and only here.
#[macro_export]
macro_rules! account_store_conformance {
    ($run:path) => {
        $crate::account_store_conformance!(@tests $run:
            passwords,
            sessions,
            api_tokens,
            preferences,
            bootstrap,
            user_tokens_revoked,
            throttle,
        );
    };
    (@tests $run:path: $($scenario:ident),* $(,)?) => {
        $(
            #[test]
            fn $scenario() {
                $run($crate::accounts_conformance::$scenario);
            }
        )*
    };
}

pub fn passwords(store: &dyn AccountStore) {
    assert_eq!(store.password_hash("an").unwrap(), None);
    store.set_password_hash("an", "$argon2id$one", 1).unwrap();
    assert_eq!(
        store.password_hash("an").unwrap().as_deref(),
        Some("$argon2id$one")
    );
    store.set_password_hash("an", "$argon2id$two", 2).unwrap();
    assert_eq!(
        store.password_hash("an").unwrap().as_deref(),
        Some("$argon2id$two")
    );
    assert_eq!(store.password_hash("binh").unwrap(), None);
}

fn session(user: &str, n: u8, expires_ms: i64) -> SessionRecord {
    SessionRecord {
        id_hash: sha256(&[n]),
        user: user.into(),
        csrf: format!("csrf-{n}"),
        created_ms: 10,
        expires_ms,
    }
}

pub fn sessions(store: &dyn AccountStore) {
    let a = session("an", 1, 1_000);
    let b = session("an", 2, 1_000);
    let c = session("binh", 3, 1_000);
    for s in [&a, &b, &c] {
        store.create_session(s).unwrap();
    }
    assert_eq!(store.session(&a.id_hash, 500).unwrap(), Some(a.clone()));
    assert_eq!(store.session(&a.id_hash, 1_000).unwrap(), None, "expired");
    store.delete_session(&a.id_hash).unwrap();
    assert_eq!(store.session(&a.id_hash, 500).unwrap(), None);
    assert_eq!(store.delete_user_sessions("an").unwrap(), 1);
    assert_eq!(store.session(&b.id_hash, 500).unwrap(), None);
    assert_eq!(store.session(&c.id_hash, 500).unwrap(), Some(c.clone()));
    let old = session("carol", 4, 100);
    store.create_session(&old).unwrap();
    assert_eq!(store.delete_expired_sessions(500).unwrap(), 1);
    assert_eq!(store.session(&c.id_hash, 500).unwrap(), Some(c));
}

pub fn api_tokens(store: &dyn AccountStore) {
    let t = ApiTokenRecord {
        id: "t1".into(),
        token_hash: sha256(b"secret-1"),
        user: "an".into(),
        label: "Báo cáo tháng".into(),
        created_ms: 5,
        revoked_ms: None,
    };
    store.create_api_token(&t).unwrap();
    assert_eq!(store.api_token(&t.token_hash).unwrap(), Some(t.clone()));
    assert_eq!(store.api_tokens("an").unwrap(), vec![t.clone()]);
    assert!(store.api_tokens("binh").unwrap().is_empty());
    assert!(
        !store.revoke_api_token("binh", "t1", 9).unwrap(),
        "not hers"
    );
    assert!(store.revoke_api_token("an", "t1", 9).unwrap());
    assert!(
        !store.revoke_api_token("an", "t1", 10).unwrap(),
        "only once"
    );
    assert_eq!(
        store.api_token(&t.token_hash).unwrap().unwrap().revoked_ms,
        Some(9)
    );
}

pub fn preferences(store: &dyn AccountStore) {
    assert_eq!(store.preference("an", "lang").unwrap(), None);
    store.set_preference("an", "lang", "en").unwrap();
    store.set_preference("an", "lang", "vi").unwrap();
    assert_eq!(
        store.preference("an", "lang").unwrap().as_deref(),
        Some("vi")
    );
    assert_eq!(store.preference("binh", "lang").unwrap(), None);
}

pub fn bootstrap(store: &dyn AccountStore) {
    let h1 = sha256(b"boot-1");
    let h2 = sha256(b"boot-2");
    assert!(!store.take_bootstrap(&h1).unwrap());
    store.set_bootstrap(&h1, 1).unwrap();
    store.set_bootstrap(&h2, 2).unwrap();
    assert!(!store.take_bootstrap(&h1).unwrap(), "replaced");
    assert!(store.take_bootstrap(&h2).unwrap());
    assert!(!store.take_bootstrap(&h2).unwrap(), "one-time");
}

pub fn user_tokens_revoked(store: &dyn AccountStore) {
    for (id, user) in [("u1", "dung"), ("u2", "dung"), ("u3", "em")] {
        store
            .create_api_token(&ApiTokenRecord {
                id: id.into(),
                token_hash: sha256(id.as_bytes()),
                user: user.into(),
                label: "script".into(),
                created_ms: 1,
                revoked_ms: None,
            })
            .unwrap();
    }
    assert!(store.revoke_api_token("dung", "u1", 2).unwrap());
    assert_eq!(
        store.revoke_user_api_tokens("dung", 3).unwrap(),
        1,
        "u2 only"
    );
    let revoked: Vec<_> = store
        .api_tokens("dung")
        .unwrap()
        .into_iter()
        .map(|t| t.revoked_ms)
        .collect();
    assert_eq!(
        revoked,
        vec![Some(2), Some(3)],
        "the earlier revocation is kept"
    );
    assert_eq!(store.api_tokens("em").unwrap()[0].revoked_ms, None);
}

pub fn throttle(store: &dyn AccountStore) {
    let read = |keys: &[&str]| {
        let mut seen = Vec::new();
        store
            .update_throttle(keys, &mut |r| {
                seen = r.to_vec();
                false
            })
            .unwrap();
        seen
    };
    assert_eq!(
        read(&["u:an", "a:1.2.3.4"]),
        vec![ThrottleRecord::default(); 2]
    );
    for now in [10, 20] {
        store
            .update_throttle(&["u:an", "a:1.2.3.4"], &mut |r| {
                for x in r.iter_mut() {
                    x.failures += 1;
                    x.last_ms = now;
                }
                true
            })
            .unwrap();
    }
    let counted = ThrottleRecord {
        failures: 2,
        last_ms: 20,
    };
    assert_eq!(read(&["a:1.2.3.4", "u:an"]), vec![counted; 2]);
    store
        .update_throttle(&["u:an"], &mut |r| {
            r[0].failures = 99;
            false
        })
        .unwrap();
    assert_eq!(read(&["u:an"]), vec![counted], "not stored when refused");
    store
        .update_throttle(&["u:binh"], &mut |r| {
            r[0] = ThrottleRecord {
                failures: 1,
                last_ms: 500,
            };
            true
        })
        .unwrap();
    assert_eq!(store.sweep_throttle(100).unwrap(), 2);
    assert_eq!(read(&["u:an"]), vec![ThrottleRecord::default()]);
    assert_eq!(read(&["u:binh"])[0].failures, 1);
}
