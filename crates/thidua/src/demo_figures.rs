//! The demonstration's year of figures (its validation rules are the regulation's own
//! `[[rule]]` tables, examples/cum12-2024/regulation.toml, signed with it): the INVENTED figures
//! of 2023 imported by the secretariat as a historical import, and the INVENTED monthly figures of
//! 2024 (examples/cum12-2024/data.csv) reported through the real commands — each officer
//! imports and submits, each leader approves; October waits for approval, one unit's November
//! is still a draft, and one approved month is corrected with a reason, so a newcomer sees a
//! year in progress. Every report carries the comment "Số liệu giả định (minh hoạ)". Bạc Liêu's
//! cases from June on are planted under-recording (20% fewer, said so in its comment), so that
//! the integrity flags page shows a funnel drop. The 2024 windows are reported years after
//! their real deadlines, so the secretariat first moves each window's deadline to a week after
//! the loading day (the real command, shown in the history) — otherwise every report would be
//! recorded as late and the data-quality flag would mark every unit. October's is moved only
//! after Hậu Giang has submitted its October ([`LATE`]): the demonstration's one late report,
//! shown as late wherever reports are and counted in Hậu Giang's data-quality flag.

use thidua_domain::figures::FigureValue;
use thidua_domain::{Actor, Command, CovenantId, Text, UnitId, UserId};
use thidua_import::{plan_historical, plan_reports, Limits, Upload};
use thidua_service::Service;

use crate::demo::{COVENANT, MEMBERS_2024};

/// The example's invented figures (2023 and 2024).
pub const DATA: &str = include_str!("../../../examples/cum12-2024/data.csv");

/// What marks every demonstration report as invented.
pub const INVENTED: &str = "Số liệu giả định (minh hoạ)";

fn t(s: &str) -> Text {
    Text::parse("demo", s, 500).expect("demo text is valid")
}

fn user(s: &str) -> Actor {
    Actor::User(UserId::parse(s).expect("demo id"))
}

fn covenant() -> CovenantId {
    CovenantId::parse(COVENANT).expect("demo id")
}

/// The data file's lines of one period prefix (`2023-M`, `2024-M05`) and the heading.
fn lines(prefix: &str, unit_code: Option<&str>) -> String {
    DATA.lines()
        .filter(|l| {
            l.starts_with("unit,")
                || (l.contains(&format!(",{prefix}"))
                    && unit_code.is_none_or(|c| l.starts_with(&format!("{c},"))))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn officer(code: &str) -> Actor {
    user(&format!("canbo.{}", code.to_lowercase()))
}

fn leader(code: &str) -> Actor {
    user(&format!("lanhdao.{}", code.to_lowercase()))
}

/// Loads the year of figures into the demonstration's log (after its covenant is signed).
pub fn load(service: &Service) -> anyhow::Result<()> {
    let secretariat = user("thuky.cum12");
    let cov = covenant();
    move_deadlines(service, &secretariat, &cov, |month| month != LATE.1)?;
    let past = lines("2023-M", None);
    let name = "so-lieu-gia-dinh-cum12-2023.csv (minh hoạ)";
    let plan = plan_historical(
        &service.read(),
        &cov,
        Upload {
            file_name: name,
            bytes: past.as_bytes(),
        },
        &Limits::default(),
    )
    .map_err(|e| anyhow::anyhow!("demo 2023 figures: {e}"))?;
    service.execute(&secretariat, plan.command)?;
    // October at its real deadline, long past: Hậu Giang's submission is recorded late; then
    // the secretariat extends October's deadline for the others.
    report_month(service, LATE.0, LATE.1, true)?;
    move_deadlines(service, &secretariat, &cov, |month| month == LATE.1)?;
    for (id, _, code) in MEMBERS_2024 {
        let unit = UnitId::parse(id)?;
        let last = if code == "KG" { 11 } else { 10 };
        for month in 1..=last {
            let window = format!("M{month:02}");
            if (code, month) != LATE {
                report_month(service, code, month, month <= 10)?;
            }
            if month <= 9 {
                service.execute(
                    &leader(code),
                    Command::ApproveFigures {
                        covenant: cov.clone(),
                        unit: unit.clone(),
                        window,
                        revision: 1,
                    },
                )?;
            }
        }
    }
    // Every member has approved June: the secretariat freezes the mid-year review (sơ kết 6
    // tháng) through the real command, before the correction below shows only in live progress.
    service.execute(
        &secretariat,
        Command::FreezeMidyearReview {
            covenant: cov.clone(),
            acknowledge_incomplete: false,
        },
    )?;
    correct(service, &cov)?;
    explain_first_drop(service, &cov)
}

/// Bạc Liêu's leader explains its first funnel drop (an invented explanation, said so), so that
/// a newcomer sees a unit's answer beside its flag.
fn explain_first_drop(service: &Service, cov: &CovenantId) -> anyhow::Result<()> {
    use thidua_domain::explanations::FlagRef;
    use thidua_domain::integrity::{self, FlagKind, Settings};
    let unit = format!("ca-{}", UNDER_RECORDER.to_lowercase());
    let flag = {
        let state = service.read();
        let panel = integrity::collect::panel(&state, cov)?;
        integrity::flags(&panel, &Settings::default())
            .iter()
            .find(|f| f.unit == unit && f.kind == FlagKind::FunnelDrop)
            .map(FlagRef::of)
    };
    let Some(flag) = flag else {
        return Ok(());
    };
    service.execute(
        &leader(UNDER_RECORDER),
        Command::ExplainFlag(thidua_domain::explanations::FlagExplained {
            covenant: cov.clone(),
            unit: UnitId::parse(&flag.unit)?,
            period: flag.period,
            kind: flag.kind,
            subject: flag.subject,
            text: t("Giải trình giả định (minh hoạ): từ tháng 6 một phần tin báo được chuyển cho Công an cấp xã thụ lý nên số vụ khởi tố tại tỉnh giảm; đơn vị sẽ cung cấp danh sách khi kiểm tra chéo."),
        }),
    )?;
    Ok(())
}

/// The demonstration's one late report: Hậu Giang's October (the unit's code and the month).
pub const LATE: (&str, u32) = ("HG", 10);

/// Sets the deadline of the 2024 windows whose month `moved` selects to a week after today (in
/// Vietnam), so that the reports the demonstration loads today are on time.
fn move_deadlines(
    service: &Service,
    secretariat: &Actor,
    cov: &CovenantId,
    moved: impl Fn(u32) -> bool,
) -> anyhow::Result<()> {
    let deadline = thidua_domain::figures::local_date(service.now_ms()) + chrono::Days::new(7);
    let commands = (1..=12)
        .filter(|month| moved(*month))
        .map(|month| Command::SetFiguresDeadline {
            covenant: cov.clone(),
            window: format!("M{month:02}"),
            deadline,
        })
        .collect();
    service.execute_all(secretariat, commands)?;
    Ok(())
}

/// The unit whose invented figures plant under-recording, and from which 2024 month on.
pub const UNDER_RECORDER: &str = "BL";
pub const UNDER_FROM: u32 = 6;

/// What marks the planted under-recording (on the `crimes` comment).
pub const PLANTED: &str = "Số liệu giả định (minh hoạ): từ tháng 6 ghi nhận ít hơn 20% số vụ phạm tội trong khi tin báo tiếp nhận không đổi, để minh hoạ dấu hiệu bất thường";

/// Plants the demonstration's gaming: from [`UNDER_FROM`] on, [`UNDER_RECORDER`] records 20%
/// fewer cases (`crimes`, rounded half up) while its reports received stay as they were, so
/// that the integrity flags have something to show. Every other figure is the example's.
fn plant(code: &str, month: u32, rows: String) -> String {
    if code != UNDER_RECORDER || month < UNDER_FROM {
        return rows;
    }
    rows.lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            match (
                cells.get(1),
                cells.get(3).and_then(|v| v.parse::<u64>().ok()),
            ) {
                (Some(&"crimes"), Some(v)) => {
                    format!(
                        "{},{},{},{}\n",
                        cells[0],
                        cells[1],
                        cells[2],
                        (v * 8 + 5) / 10
                    )
                }
                _ => format!("{l}\n"),
            }
        })
        .collect()
}

/// A unit's invented figures of a 2024 month, imported by its officer (and submitted).
pub fn report_month(service: &Service, code: &str, month: u32, submit: bool) -> anyhow::Result<()> {
    let window = format!("M{month:02}");
    let rows = plant(code, month, lines(&format!("2024-{window}"), Some(code)));
    let plan = plan_reports(
        &service.read(),
        &covenant(),
        Upload {
            file_name: "demo.csv",
            bytes: rows.as_bytes(),
        },
        &Limits::default(),
    )
    .map_err(|e| anyhow::anyhow!("demo 2024 {code} {window}: {e}"))?;
    let mut commands = plan.commands(submit);
    if let Some(Command::SaveFigures { comments, .. }) = commands.first_mut() {
        let planted = code == UNDER_RECORDER && month >= UNDER_FROM;
        comments.insert("crimes".into(), t(if planted { PLANTED } else { INVENTED }));
    }
    service.execute_all(&officer(code), commands)?;
    Ok(())
}

/// Hậu Giang's May is reopened by its leader and corrected: the page shows old and new values.
fn correct(service: &Service, cov: &CovenantId) -> anyhow::Result<()> {
    let unit = UnitId::parse("ca-hg")?;
    let window = "M05".to_owned();
    service.execute(
        &leader("HG"),
        Command::ReopenFigures {
            covenant: cov.clone(),
            unit: unit.clone(),
            window: window.clone(),
            reason: t("Rà soát lại: bổ sung 1 vụ án tạm đình chỉ bị bỏ sót (minh hoạ)"),
        },
    )?;
    let rows = lines("2024-M05", Some("HG"));
    let mut plan = plan_reports(
        &service.read(),
        cov,
        Upload {
            file_name: "demo.csv",
            bytes: rows.as_bytes(),
        },
        &Limits::default(),
    )
    .map_err(|e| anyhow::anyhow!("demo correction: {e}"))?;
    let values = &mut plan.reports[0].values;
    if let Some(FigureValue::Number(d)) = values.get("suspended").copied() {
        values.insert(
            "suspended".into(),
            FigureValue::Number(d + rust_decimal::Decimal::ONE),
        );
    }
    plan.reports[0]
        .comments
        .insert("suspended".into(), t("Bổ sung 1 vụ sau rà soát (minh hoạ)"));
    plan.reports[0]
        .comments
        .insert("crimes".into(), t(INVENTED));
    service.execute_all(&officer("HG"), plan.commands(true))?;
    let revision = service
        .read()
        .figures
        .report(&unit, 2024, &window)
        .map_or(0, |r| r.revision);
    service.execute(
        &leader("HG"),
        Command::ApproveFigures {
            covenant: cov.clone(),
            unit,
            window,
            revision,
        },
    )?;
    Ok(())
}
