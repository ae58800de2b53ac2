//! Identifiers: short ASCII codes chosen by people ("ca-kg", "cum-12", "vanttq-2024"), validated
//! once at the boundary so the rest of the domain never sees a malformed id.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates an id: 1–64 characters of `a-z`, `0-9`, `-`, `_`, `.`; starts with a letter or digit.
            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                validate_id(raw, $field).map(|()| Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(raw: String) -> Result<Self, DomainError> {
                validate_id(&raw, $field).map(|()| Self(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// An id: 1–64 ASCII lower-case letters, digits, '-', '_', '.', starting with a letter or
/// digit. An empty one is said to be empty (`empty_text`), not badly formed.
fn validate_id(raw: &str, field: &'static str) -> Result<(), DomainError> {
    if raw.is_empty() {
        return Err(DomainError::EmptyText { field });
    }
    let ok = raw.len() <= 64
        && raw.as_bytes()[0].is_ascii_alphanumeric()
        && raw.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(DomainError::InvalidId {
            field,
            value: raw.chars().take(80).collect(),
        })
    }
}

id_type!(
    /// A unit: a provincial police force, a commune police, a Ministry department.
    UnitId,
    "unit"
);
id_type!(
    /// An emulation cluster (cụm thi đua) or bloc (khối thi đua).
    ClusterId,
    "cluster"
);
id_type!(
    /// An emulation movement (phong trào thi đua) of one year.
    MovementId,
    "movement"
);
id_type!(
    /// A covenant (giao ước thi đua); its versions are numbered inside it.
    CovenantId,
    "covenant"
);
id_type!(
    /// A user account (the login name).
    UserId,
    "user"
);
id_type!(
    /// An election (a vote on an award, or on next year's head or deputy).
    ElectionId,
    "election"
);
id_type!(
    /// A target (chỉ tiêu) inside a covenant.
    TargetId,
    "target"
);

/// Whether `s` is a SHA-256 as the log writes it (of a file, a ballot, a document, a seed):
/// 64 lowercase hexadecimal digits. Input in either case is lowercased before it is asked.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ascii_codes() {
        assert!(UnitId::parse("ca-kg").is_ok());
        assert!(UnitId::parse("Ca-KG").is_err());
        assert_eq!(UnitId::parse("").unwrap_err().code(), "empty_text");
        assert_eq!(UnitId::parse("-x").unwrap_err().code(), "invalid_id");
        assert!(UnitId::parse("công-an").is_err());
        let json = serde_json::to_string(&UnitId::parse("ca-ag").unwrap()).unwrap();
        assert_eq!(json, "\"ca-ag\"");
        assert!(serde_json::from_str::<UnitId>("\"BAD ID\"").is_err());
    }
}
