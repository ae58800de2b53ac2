//! Format 1 of `password_reset`: an account's password set anew by an administrator or the
//! operator. Frozen: this structure is the bytes of the log.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// `password_reset` format 1: the password of `user` was reset (by the event's actor). The
/// password, its hash and the sessions it ended are not in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub user: UserId,
}

/// The decoder of the kind; `None` for another format.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    (v == 1).then(|| {
        super::typed(data, |w: PasswordReset| {
            crate::event::Payload::PasswordReset { user: w.user }
        })
    })
}

/// The event in its newest format (1).
pub(super) fn encode(user: UserId) -> (u32, serde_json::Value) {
    let wire = PasswordReset { user };
    (
        1,
        serde_json::to_value(wire).expect("wire values always serialise"),
    )
}
