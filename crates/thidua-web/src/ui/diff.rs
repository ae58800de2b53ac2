//! The difference between two versions of a covenant, for a leader to read before signing the
//! newer one: the covenant's own fields, the targets (added, removed, changed, matched by their
//! id) in sentences, the regulation's criteria whose points or scale change, in the words of the
//! regulation page, and its canonical text line by line (a longest-common-subsequence diff with
//! a few lines of context).

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::model::Target;
use thidua_domain::state::CovenantVersion;
use thidua_domain::CovenantId;

use super::{render, viewer_error, Layout};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::{Lang, Strings};
use crate::AppState;

/// One changed field or target: what it was, what it becomes (empty when added or removed).
pub struct Change {
    pub what: String,
    pub before: String,
    pub after: String,
}

/// One line of the regulation diff: `' '` kept, `'-'` removed, `'+'` added, `'…'` skipped.
pub struct DiffLine {
    pub mark: char,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// Line diff of two texts, with `context` unchanged lines around each change.
pub fn line_diff(a: &str, b: &str, context: usize) -> Vec<DiffLine> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut all = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            all.push(DiffLine {
                mark: ' ',
                old: Some(i + 1),
                new: Some(j + 1),
                text: a[i].into(),
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            all.push(DiffLine {
                mark: '+',
                old: None,
                new: Some(j + 1),
                text: b[j].into(),
            });
            j += 1;
        } else {
            all.push(DiffLine {
                mark: '-',
                old: Some(i + 1),
                new: None,
                text: a[i].into(),
            });
            i += 1;
        }
    }
    let near = |k: usize| {
        let lo = k.saturating_sub(context);
        let hi = (k + context + 1).min(all.len());
        all[lo..hi].iter().any(|l| l.mark != ' ')
    };
    let keep: Vec<bool> = (0..all.len()).map(near).collect();
    let mut out = Vec::new();
    let mut skipped = false;
    for (line, keep) in all.into_iter().zip(keep) {
        if keep {
            out.push(line);
            skipped = false;
        } else if !skipped {
            out.push(DiffLine {
                mark: '…',
                old: None,
                new: None,
                text: String::new(),
            });
            skipped = true;
        }
    }
    out
}

fn target_text(t: &Strings, x: &Target) -> String {
    format!("{} — {}", x.subject, super::targets::sentence(t, x))
}

/// The covenant's fields and targets that differ between two versions.
fn changes(t: &Strings, a: &CovenantVersion, b: &CovenantVersion) -> Vec<Change> {
    let mut out = Vec::new();
    let mut field = |what: &str, x: String, y: String| {
        if x != y {
            out.push(Change {
                what: what.to_owned(),
                before: x,
                after: y,
            });
        }
    };
    field(
        t.title_label,
        a.content.title.to_string(),
        b.content.title.to_string(),
    );
    field(
        t.place_label,
        a.content.place.to_string(),
        b.content.place.to_string(),
    );
    field(
        t.signing_date,
        crate::format::date(&a.content.signing_date),
        crate::format::date(&b.content.signing_date),
    );
    field(
        t.regulation_hash,
        a.content.regulation.sha256.clone(),
        b.content.regulation.sha256.clone(),
    );
    for x in &a.content.targets {
        match b.content.targets.iter().find(|y| y.id == x.id) {
            None => out.push(Change {
                what: t.target_removed.into(),
                before: target_text(t, x),
                after: String::new(),
            }),
            Some(y) if y != x => out.push(Change {
                what: t.target_changed.into(),
                before: target_text(t, x),
                after: target_text(t, y),
            }),
            Some(_) => {}
        }
    }
    for y in &b.content.targets {
        if !a.content.targets.iter().any(|x| x.id == y.id) {
            out.push(Change {
                what: t.target_added.into(),
                before: String::new(),
                after: target_text(t, y),
            });
        }
    }
    out
}

/// The regulation's criteria that differ between two regulation texts (matched by id), each
/// said as the regulation page says it: what a leader reads before signing, beside the text
/// diff. Nothing when either text does not compile.
fn criteria_changes(t: &Strings, lang: Lang, a: &str, b: &str) -> Vec<Change> {
    let (Ok(a), Ok(b)) = (thidua_scoring::compile(a), thidua_scoring::compile(b)) else {
        return Vec::new();
    };
    let rows_a = super::regulation::criteria_rows(t, &a, lang);
    let rows_b = super::regulation::criteria_rows(t, &b, lang);
    let said = |r: &super::regulation::CriterionRow| {
        format!(
            "{} {} ({} {}): {}",
            r.id, r.name, r.points, t.points_word, r.how
        )
    };
    let mut out = Vec::new();
    for x in &rows_a {
        match rows_b.iter().find(|y| y.id == x.id) {
            None => out.push(Change {
                what: t.criterion_removed.into(),
                before: said(x),
                after: String::new(),
            }),
            Some(y) if said(y) != said(x) => out.push(Change {
                what: t.criterion_changed.into(),
                before: said(x),
                after: said(y),
            }),
            Some(_) => {}
        }
    }
    for y in rows_b
        .iter()
        .filter(|y| !rows_a.iter().any(|x| x.id == y.id))
    {
        out.push(Change {
            what: t.criterion_added.into(),
            before: String::new(),
            after: said(y),
        });
    }
    out
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    l: Layout,
    id: String,
    title: String,
    from: u32,
    to: u32,
    changes: Vec<Change>,
    /// The regulation's criteria that change, in words.
    criteria: Vec<Change>,
    lines: Vec<DiffLine>,
}

impl DiffPage {
    /// The regulation's text did not change.
    fn unchanged(&self) -> bool {
        self.lines.iter().all(|x| x.mark == ' ' || x.mark == '…')
    }
}

#[derive(Deserialize)]
pub struct DiffParams {
    from: Option<u32>,
    to: Option<u32>,
}

/// `GET /covenants/{id}/diff?from=&to=` (default: the latest version against the one before).
pub async fn diff(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DiffParams>,
) -> Response {
    let t = viewer.lang.strings();
    let c = {
        let state = app.service.read();
        let c = CovenantId::parse(&id)
            .ok()
            .and_then(|cid| state.covenants.get(&cid).cloned());
        match c.filter(|c| viewer.scope.can_view_covenant(&state, c)) {
            Some(c) => c,
            None => return viewer_error(&viewer, ApiError::not_found()),
        }
    };
    let to = q.to.unwrap_or(c.latest().version);
    let from = q.from.unwrap_or(to.saturating_sub(1));
    let (Some(a), Some(b)) = (c.version(from), c.version(to)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    render(&DiffPage {
        l: Layout::new(&viewer, t.diff_title),
        id: c.id.to_string(),
        title: b.content.title.to_string(),
        from,
        to,
        changes: changes(t, a, b),
        criteria: criteria_changes(
            t,
            viewer.lang,
            &a.content.regulation.text,
            &b.content.regulation.text,
        ),
        lines: line_diff(&a.content.regulation.text, &b.content.regulation.text, 3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A criterion whose scale changes is told in words, before and after; the others are not.
    #[test]
    fn a_changed_criterion_is_told_in_words() {
        let a = include_str!("../../../../examples/cum12-2024/regulation.toml");
        let b = a.replace(
            "target = -5, better = \"lower\", per = 2 }",
            "target = -7, better = \"lower\", per = 2 }",
        );
        assert_ne!(a, b);
        let lang = Lang::Vi;
        let changes = criteria_changes(lang.strings(), lang, a, &b);
        assert_eq!(
            changes.len(),
            1,
            "{:?}",
            changes.iter().map(|c| &c.after).collect::<Vec<_>>()
        );
        assert_eq!(changes[0].what, "Tiêu chí sửa");
        assert!(
            changes[0].before.starts_with("A1 Kéo giảm tội phạm"),
            "{}",
            changes[0].before
        );
        assert!(
            changes[0].before.contains("giảm từ 5% trở lên"),
            "{}",
            changes[0].before
        );
        assert!(
            changes[0].after.contains("giảm từ 7% trở lên"),
            "{}",
            changes[0].after
        );
        assert!(criteria_changes(lang.strings(), lang, a, a).is_empty());
    }

    #[test]
    fn lines_removed_and_added_with_context() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\ni";
        let b = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj";
        let d = line_diff(a, b, 1);
        let marks: String = d.iter().map(|l| l.mark).collect();
        assert_eq!(marks, "… -+ … +");
        let marks: String = line_diff(a, a, 3).iter().map(|l| l.mark).collect();
        assert_eq!(marks, "…");
    }
}
