//! Evidence files of a dossier: uploaded to a manual criterion's entry (the type read from the
//! content, the size bounded, the name cleaned — `thidua_domain::yearend::evidence`), stored in
//! the store's content-addressed blobs, referenced by SHA-256 in the dossier's next save; and
//! served back only to those who may read that dossier, as an attachment that the browser must
//! not sniff.

use crate::ui::extract::Path;
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::yearend::{evidence, Evidence, YearEndCommand};
use thidua_domain::{Actor, Command, CovenantId, Text, UnitId};

use super::{review_view, viewer_error};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::AppState;

#[derive(Default)]
struct Upload {
    csrf: String,
    unit: String,
    criterion: String,
    file_name: String,
    bytes: Bytes,
    /// The dossier form's other fields when the file is sent from it (`action` =
    /// `save_dossier`, the self-scores and justifications as typed): saved with the file, and
    /// shown again if it is refused.
    typed: HashMap<String, String>,
}

impl Upload {
    /// Sent from the dossier's form (its upload buttons), not from a bare file form.
    fn with_dossier(&self) -> bool {
        self.typed
            .get("action")
            .is_some_and(|a| a == "save_dossier")
    }
}

/// The upload's fields. The file is `file`, or `file_<criterion>` of the criterion whose
/// upload button was pressed (the dossier's form has a file box per criterion).
async fn read(mut multipart: Multipart) -> Result<Upload, ApiError> {
    let mut out = Upload::default();
    let mut files = HashMap::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request("invalid_body", e.body_text())
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" || name.starts_with("file_") {
            let file_name = unescape_form_file_name(field.file_name().unwrap_or(""));
            files.insert(name, (file_name, field.bytes().await.map_err(bad)?));
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "csrf" => {
                out.csrf = text;
                continue;
            }
            "unit" => out.unit = text.clone(),
            "criterion" => out.criterion = text.clone(),
            _ => {}
        }
        out.typed.insert(name, text);
    }
    let chosen = files
        .remove(&format!("file_{}", out.criterion))
        .or_else(|| files.remove("file"));
    if let Some((file_name, bytes)) = chosen {
        out.file_name = file_name;
        out.bytes = bytes;
    }
    Ok(out)
}

/// A file name as a browser typed it: HTML's multipart encoding writes `"`, CR and LF in a
/// file name as `%22`, `%0D` and `%0A` (and nothing else), so they are read back here before
/// the name is cleaned, never shown to the user as escapes.
fn unescape_form_file_name(raw: &str) -> String {
    raw.replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

/// The dossier's next save: the unit's working entries — or, sent from the dossier's form, the
/// entries as typed there (`typed`) — with the file added to `criterion`.
fn command(
    app: &AppState,
    actor: &Actor,
    covenant: &CovenantId,
    unit: &UnitId,
    (criterion, typed): (&str, Option<&HashMap<String, String>>),
    file: Evidence,
) -> Result<Command, ApiError> {
    let state = app.service.read();
    let review = state.review(covenant)?;
    if !review.members.contains(unit) {
        return Err(ApiError::from(thidua_domain::yearend::error::refuse(
            "yearend_not_member",
            "the unit is not a member of this covenant's year",
        )));
    }
    review.manual_criterion(criterion)?;
    let mut entries = match typed {
        Some(form) => super::forms::typed_entries(&state, actor, covenant, unit, form)?,
        None => review
            .dossiers
            .get(unit)
            .map(|d| d.entries.clone())
            .unwrap_or_default(),
    };
    let entry = entries.get_mut(criterion).ok_or_else(|| {
        ApiError::from(thidua_domain::yearend::error::refuse(
            "yearend_evidence_before_score",
            "save the criterion's score before attaching evidence",
        ))
    })?;
    entry.evidence.push(file);
    Ok(Command::YearEnd(YearEndCommand::SaveDossier {
        covenant: covenant.clone(),
        unit: unit.clone(),
        entries,
    }))
}

async fn attach(
    app: &AppState,
    viewer: &Viewer,
    covenant: &CovenantId,
    upload: Upload,
) -> Result<(), ApiError> {
    let unit =
        UnitId::parse(&upload.unit).map_err(|_| ApiError::bad_request("invalid_value", "unit"))?;
    // Authorised before the unit's working dossier is read, so that a refusal says nothing of
    // what another unit has saved.
    {
        let state = app.service.read();
        crate::api::figures::visible_covenant(&state, &viewer.scope, covenant)?;
        thidua_domain::authz::authorise(
            &state,
            &Actor::User(viewer.user.clone()),
            &thidua_domain::authz::Permission::ReportFigures(unit.clone()),
        )?;
    }
    // The dossier's upload button pressed with no file chosen (its box cannot be required:
    // it is a field of the dossier's form, which saves without files).
    if upload.bytes.is_empty() && upload.file_name.is_empty() {
        return Err(ApiError::from(thidua_domain::yearend::error::refuse(
            "yearend_evidence_no_file",
            "choose a file to upload",
        )));
    }
    let media_type = evidence::check(&upload.bytes)?;
    let name = Text::parse(
        "file_name",
        &evidence::file_name(&upload.file_name, media_type),
        200,
    )?;
    let sha256 = hex::encode(thidua_store::sha256(&upload.bytes));
    let file = Evidence {
        sha256: sha256.clone(),
        name,
        media_type: media_type.to_owned(),
        size: upload.bytes.len() as u64,
    };
    let typed = upload.with_dossier().then_some(&upload.typed);
    let actor = Actor::User(viewer.user.clone());
    let cmd = command(
        app,
        &actor,
        covenant,
        &unit,
        (&upload.criterion, typed),
        file,
    )?;
    // Decided first: a refused save stores nothing.
    crate::api::dry_run(
        &app.service.read(),
        &Actor::User(viewer.user.clone()),
        viewer.now_ms,
        cmd.clone(),
    )?;
    let bytes = upload.bytes.clone();
    app.blocking(move |app| Ok(app.service.store().put_blob(&bytes)?))
        .await?;
    crate::api::execute_with_files(app, viewer, vec![cmd], &[sha256])
        .await
        .map(|_| ())
}

/// `POST /covenants/{id}/yearend/evidence` (multipart: `csrf`, `unit`, `criterion`, `file`). A
/// body over the upload limit was read and dropped before it came here
/// ([`crate::auth::UploadTooLarge`]): the page says the file is too large, as it says of a file
/// over the evidence limit, and nothing changes.
pub async fn upload(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    too_large: Option<axum::Extension<crate::auth::UploadTooLarge>>,
    multipart: Multipart,
) -> Response {
    if too_large.is_some() {
        let refusal = ApiError::from(evidence::too_large());
        let errors = [("evidence".to_owned(), viewer.lang.api_error(&refusal))].into();
        let mut page = review_view(&app, &viewer, &id, errors, Default::default());
        if page.status() == StatusCode::UNPROCESSABLE_ENTITY {
            *page.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        }
        return page;
    }
    let upload = match read(multipart).await {
        Ok(u) => u,
        Err(e) => return viewer_error(&viewer, e),
    };
    if viewer.csrf.is_empty() || !crate::accounts::secrets_equal(&viewer.csrf, &upload.csrf) {
        return viewer_error(
            &viewer,
            ApiError::new(StatusCode::FORBIDDEN, "csrf", "csrf"),
        );
    }
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    // Refused, the page comes back with the dossier's table as it was typed.
    let typed = if upload.with_dossier() {
        upload.typed.clone()
    } else {
        HashMap::new()
    };
    let unit = upload.unit.clone();
    match attach(&app, &viewer, &cov, upload).await {
        Ok(()) => Redirect::to(&format!("/covenants/{id}/yearend#evidence-{unit}")).into_response(),
        Err(e) if e.shown_in_form() => {
            let errors = [("evidence".to_owned(), viewer.lang.api_error(&e))].into();
            review_view(&app, &viewer, &id, errors, typed)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// `GET /covenants/{id}/yearend/evidence/{sha256}`: a file of a dossier the viewer may read.
pub async fn download(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, sha)): Path<(String, String)>,
) -> Response {
    let found = (|| {
        let cov = CovenantId::parse(&id).ok()?;
        let dto = crate::api::yearend::review_dto(
            &app,
            &app.service.read(),
            &viewer.scope,
            &cov,
            crate::api::yearend::API_LANG,
            viewer.now_ms,
        )
        .ok()?;
        dto.dossiers
            .iter()
            .flat_map(|d| &d.entries)
            .flat_map(|e| &e.evidence)
            .find(|f| f.sha256 == sha)
            .cloned()
    })();
    let Some(file) = found else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let Ok(hash) = hex::decode(&file.sha256).map(|h| <[u8; 32]>::try_from(h.as_slice())) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let Ok(hash) = hash else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let bytes = match app
        .blocking(move |app| Ok(app.service.store().get_blob(&hash)?))
        .await
    {
        // Served only as what the dossier says it is: a stored file of another size or type is
        // not this evidence.
        Ok(Some(b))
            if b.len() as u64 == file.size
                && evidence::sniff(&b) == Some(file.media_type.as_str()) =>
        {
            b
        }
        // A file the viewer's dossier names that the store lacks, or holds as something else,
        // is the server's fault, said as such (logged): never "not found", which a verifier
        // would read as a file hidden from it.
        Ok(found) => {
            let why = match found {
                Some(_) => "is stored with another size or type",
                None => "is not stored",
            };
            let e = ApiError::internal(format!("evidence file {} {why}", file.sha256));
            return viewer_error(&viewer, e);
        }
        Err(e) => return viewer_error(&viewer, e),
    };
    // A file attached before names followed their content gets its type's extension here.
    let encoded: String = evidence::file_name(&file.name, &file.media_type)
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browsers_escapes_in_a_file_name_are_read_back_then_cleaned() {
        let typed = unescape_form_file_name("Báo cáo %22quý I%22%0D%0AX: 1.pdf");
        assert_eq!(typed, "Báo cáo \"quý I\"\r\nX: 1.pdf");
        assert_eq!(evidence::clean_name(&typed), "Báo cáo quý IX 1.pdf");
    }
}
