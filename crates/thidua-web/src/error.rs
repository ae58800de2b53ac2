//! The API's error body `{"error": "code", "message": "…"}` and the mapping from domain and
//! service errors to HTTP statuses. Codes are stable; messages are English for operators and the
//! UI translates codes. Internal errors are logged in full and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thidua_domain::DomainError;
use thidua_service::ServiceError;

use crate::accounts::AccountError;

/// The JSON error body.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable snake_case code, e.g. `forbidden`, `already_signed`.
    pub error: String,
    /// An English explanation for people reading logs; the UI translates the code instead.
    pub message: String,
    /// Every problem of what was sent when there are several to mend (a covenant's content),
    /// the refusal among them; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
    /// The limit in bytes that a body over it (`too_large`, 413) exceeded; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
}

/// One problem of what was sent, with the field it is in (`targets[2].threshold`).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// The problem's code, as `error` gives a refusal's.
    pub error: String,
    pub message: String,
}

/// An error answered by an API route.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The domain's refusal behind the error, for the pages to tell it with names
    /// (`ui::names::refusal`); the API answers only `code` and `message`.
    pub domain: Option<Box<DomainError>>,
    /// Every problem to mend, when there are several ([`ErrorBody::problems`]).
    pub problems: Vec<FieldProblem>,
    /// The limit a body over it exceeded ([`ErrorBody::limit_bytes`]).
    pub limit_bytes: Option<u64>,
}

impl ApiError {
    /// Whether a form shows this error beside its fields: a refusal of what was typed. A
    /// missing session (401) or a forbidden action (403) is never a form's mistake — its page
    /// answers it whole, whatever else the form held.
    pub fn shown_in_form(&self) -> bool {
        self.status.is_client_error()
            && self.status != StatusCode::UNAUTHORIZED
            && self.status != StatusCode::FORBIDDEN
    }

    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            domain: None,
            problems: Vec::new(),
            limit_bytes: None,
        }
    }

    /// A body over `limit` bytes (413 `too_large`): the message says the limit in Vietnamese
    /// ("1 MiB (1.048.576 byte)") and in English, and `limit_bytes` gives it to programs.
    pub fn too_large(limit: usize) -> Self {
        let said = |lang: crate::i18n::Lang| {
            let limit = crate::format::byte_limit(limit, lang);
            crate::i18n::fill(lang.strings().too_large_short, &[("limit", limit)])
        };
        let message = format!(
            "{} {}",
            said(crate::i18n::Lang::Vi),
            said(crate::i18n::Lang::En)
        );
        Self {
            limit_bytes: Some(limit as u64),
            ..Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in or send a bearer token",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the actor may not perform this action",
        )
    }

    /// Used for resources the actor may not see as well as for missing ones.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// The server is too busy to take the request now (e.g. every password-hashing slot is in
    /// use); the client may retry.
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is busy; retry",
        )
    }

    /// The service has halted its writes (the log read back, or the snapshot it started from,
    /// does not match its state): nothing was recorded, and nothing will be until an operator
    /// has looked and restarted it. The reason names events and users, so it stays in the
    /// server's log (written when the service halted), never in the answer.
    pub fn halted() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "halted",
            "writes are halted: the log read back does not match the server's state, so nothing \
             was recorded; reads still work; an operator must look at the server's log and \
             restart it",
        )
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// Logs `err` in full and answers a generic 500.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

/// The HTTP status for a domain error code.
pub fn domain_status(e: &DomainError) -> StatusCode {
    use DomainError::*;
    match e {
        Forbidden | Unauthorised { .. } | FiguresByOfficers { .. } => StatusCode::FORBIDDEN,
        UnknownUser(_)
        | UnknownUnit(_)
        | UnknownCluster(_)
        | UnknownMovement(_)
        | UnknownCovenant(_)
        | UnknownVersion { .. } => StatusCode::NOT_FOUND,
        UserExists(_)
        | RoleAlreadyGranted { .. }
        | RoleNotGranted { .. }
        | UnitExists(_)
        | ClusterExists(_)
        | MovementExists(_)
        | CovenantExists(_)
        | CovenantFrozen { .. }
        | CovenantNotFrozen { .. }
        | CovenantHasSignatures { .. }
        | CovenantWithdrawn { .. }
        | AlreadySigned { .. }
        | HashMismatch { .. }
        | UnitNameTaken(_)
        | ClusterNameTaken(_)
        | MovementNameTaken { .. }
        | ShortCodeTaken(_)
        | DocumentAlreadyIssued { .. }
        | FiguresUnchanged { .. }
        | ExplanationUnchanged => StatusCode::CONFLICT,
        // A year-end step that the review's state (not the request) refuses.
        YearEnd(y)
            if matches!(
                y.code,
                "yearend_locked"
                    | "yearend_published"
                    | "yearend_already_open"
                    | "yearend_finding_exists"
                    | "yearend_phase"
                    | "yearend_stale_revision"
                    | "yearend_dossier_frozen"
                    | "yearend_dossier_submitted"
            ) =>
        {
            StatusCode::CONFLICT
        }
        // One mid-year review per covenant: a second conflicts with the first.
        Midyear { code, .. } if *code == "midyear_exists" => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match &e {
            ServiceError::Domain(d) => Self {
                domain: Some(Box::new(d.clone())),
                ..Self::new(domain_status(d), d.code(), d.to_string())
            },
            ServiceError::Contention(_) | ServiceError::Moved { .. } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the log is busy; retry",
            ),
            ServiceError::Halted(_) => Self::halted(),
            _ => Self::internal(e),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ServiceError::Domain(e).into()
    }
}

impl From<thidua_store::StoreError> for ApiError {
    fn from(e: thidua_store::StoreError) -> Self {
        Self::internal(e)
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::PasswordTooShort | AccountError::PasswordTooLong => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
            }
            AccountError::UnknownUser(_) => {
                Self::new(StatusCode::NOT_FOUND, e.code(), e.to_string())
            }
            AccountError::BadBootstrapToken | AccountError::AdminExists => {
                Self::new(StatusCode::FORBIDDEN, e.code(), e.to_string())
            }
            AccountError::Service(s) => s.into(),
            AccountError::Hashing | AccountError::Store(_) => Self::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code.to_owned(),
            message: self.message,
            problems: self.problems,
            limit_bytes: self.limit_bytes,
        };
        (self.status, axum::Json(body)).into_response()
    }
}
