//! A synthetic national-scale covenant for measuring progress (`thidua bench progress`, `cargo
//! bench -p thidua-domain --bench progress`): `units` communes in one cluster, a regulation of
//! `elements` summed figures with a reduction criterion against cùng kỳ per figure (up to 30),
//! a rate indicator and a manual criterion, two targets; last year's twelve months imported
//! historically and this year's first `months` saved, submitted and approved — all through the
//! domain's own commands. Every figure is invented (deterministic).

use crate::error::DomainError;
use crate::figures::{FigureMap, FigureValue, HistoricalReport};
use crate::model::{Comparison, Target, TargetKind};
use crate::{decide_and_apply, Actor, Command, CovenantId, Payload, State, TargetId, UnitId};

/// The shape of the synthetic covenant.
#[derive(Clone, Copy, Debug)]
pub struct Synth {
    pub units: u32,
    pub elements: u32,
    /// Months of this year approved by [`load`].
    pub months: u32,
}

/// The synthetic covenant's id.
pub fn covenant() -> CovenantId {
    CovenantId::parse(COVENANT).expect("a valid id")
}

/// The covenant's year; the imported figures are of the year before.
pub const YEAR: i32 = 2025;
const COVENANT: &str = "bench-progress-2025";
const TIME_MS: i64 = 1_760_000_000_000;

use crate::synth::{text as t, unit_id};

/// `n` summed elements, a reduction criterion against cùng kỳ per element (linear scale), a
/// rate indicator and a manual criterion.
fn regulation(n: u32) -> String {
    let criteria = n.min(30);
    let mut s = format!(
        "format = 1\nname = \"Quy định thử tải tiến độ (giả định)\"\nyear = {YEAR}\nperiod = \"{YEAR}-Y\"\ntotal = {}\n",
        3 * criteria + 10
    );
    for e in 1..=n {
        s.push_str(&format!(
            "\n[[element]]\nid = \"e{e:02}\"\nname = \"Số liệu thử {e}\"\nunit = \"vụ\"\naggregate = \"sum\"\n"
        ));
    }
    s.push_str("\n[[indicator]]\nid = \"rate\"\nname = \"Tỷ lệ thử\"\nunit = \"%\"\nexpr = \"pct(e02, e01)\"\non_zero_division = 100\n");
    s.push_str(&format!(
        "\n[[area]]\nid = \"A\"\nname = \"Lĩnh vực thử\"\npoints = {}\n",
        3 * criteria
    ));
    for e in 1..=criteria {
        s.push_str(&format!(
            "\n[[criterion]]\nid = \"A{e}\"\nparent = \"A\"\nname = \"Giảm số liệu thử {e}\"\npoints = 3\nvalue = \"pct_change(e{e:02}, e{e:02}@cung_ky)\"\nscale = {{ kind = \"linear\", from = 10, to = -10 }}\n"
        ));
    }
    s.push_str("\n[[area]]\nid = \"B\"\nname = \"Chấm tay\"\npoints = 10\n\n[[criterion]]\nid = \"B1\"\nparent = \"B\"\nname = \"Tiêu chí chấm tay\"\npoints = 10\nmanual = true\n\n[[band]]\nid = \"all\"\nname = \"Tất cả\"\n");
    s
}

/// A deterministic count for (unit, year, month, element).
fn value(u: u32, y: i32, m: u32, e: u32) -> u64 {
    let x = (u as u64 * 7919 + y as u64 * 15_485_863 + m as u64 * 104_729 + e as u64 * 1_299_709)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    100 + (x >> 40) % 400
}

fn figures(n: u32, u: u32, y: i32, m: u32) -> FigureMap {
    (1..=n)
        .map(|e| {
            (
                format!("e{e:02}"),
                FigureValue::Number(value(u, y, m, e).into()),
            )
        })
        .collect()
}

/// The synthetic log as it is built: the state, and the events' payloads when kept (to write
/// them to a store and serve them).
#[derive(Default)]
pub struct Log {
    pub state: State,
    pub payloads: Option<Vec<Payload>>,
}

impl Log {
    /// Decides and applies `command` by the operator at the synthetic time, keeping its events.
    pub fn run(&mut self, command: Command) -> Result<(), DomainError> {
        let (payloads, next) = decide_and_apply(&self.state, &Actor::System, TIME_MS, command)?;
        self.state = next;
        if let Some(all) = &mut self.payloads {
            all.extend(payloads);
        }
        Ok(())
    }
}

fn target(id: &str, kind: TargetKind, cmp: Comparison, threshold: &str, indicator: &str) -> Target {
    Target {
        id: TargetId::parse(id).expect("id"),
        area: t("Thực hiện giao ước"),
        kind,
        subject: t(&format!("Chỉ tiêu thử {id} (giả định)")),
        comparison: cmp,
        threshold: Some(threshold.parse().expect("number")),
        range: None,
        baseline_year: (kind == TargetKind::Change).then_some(YEAR - 1),
        unit_of_measure: Some(t("%")),
        indicator: Some(indicator.into()),
    }
}

/// Units, their cluster, the movement and the covenant signed by every unit.
pub fn setup(args: &Synth) -> Result<State, DomainError> {
    let mut log = Log::default();
    setup_log(&mut log, args)?;
    Ok(log.state)
}

/// [`setup`] onto a log.
pub fn setup_log(log: &mut Log, args: &Synth) -> Result<(), DomainError> {
    let draft = crate::synth::Draft {
        covenant: COVENANT,
        movement: "bench-progress-2025",
        year: YEAR,
        title: "Giao ước thử tải tiến độ (giả định)",
        targets: vec![
            target("giam", TargetKind::Change, Comparison::AtLeast, "5", "e01"),
            target("ty-le", TargetKind::Rate, Comparison::AtLeast, "80", "rate"),
        ],
        regulation: &regulation(args.elements),
    };
    for c in crate::synth::cluster_commands(args.units, draft)? {
        log.run(c)?;
    }
    for c in crate::synth::signatures(&log.state, &covenant(), args.units)? {
        log.run(c)?;
    }
    Ok(())
}

/// Last year imported historically; this year's first months saved, submitted and approved.
pub fn load(state: &mut State, args: &Synth) -> Result<(), DomainError> {
    let mut log = Log {
        state: std::mem::take(state),
        payloads: None,
    };
    let done = load_log(&mut log, args);
    *state = log.state;
    done
}

/// [`load`] onto a log.
pub fn load_log(log: &mut Log, args: &Synth) -> Result<(), DomainError> {
    let covenant = CovenantId::parse(COVENANT)?;
    let reports = (0..args.units)
        .flat_map(|u| {
            (1..=12).map(move |m| HistoricalReport {
                unit: unit_id(u),
                year: YEAR - 1,
                window: format!("M{m:02}"),
                values: figures(args.elements, u, YEAR - 1, m),
            })
        })
        .collect();
    log.run(Command::ImportHistoricalFigures {
        covenant: covenant.clone(),
        file_name: t("bench.csv"),
        sha256: "00".repeat(32),
        reports,
    })?;
    for m in 1..=args.months {
        for u in 0..args.units {
            for c in approval(args, u, m) {
                log.run(c)?;
            }
        }
    }
    Ok(())
}

/// Unit `u`'s report of month `m` saved, submitted and approved.
pub fn approve(state: &mut State, args: &Synth, u: u32, m: u32) -> Result<(), DomainError> {
    for c in approval(args, u, m) {
        let (_, next) = decide_and_apply(state, &Actor::System, TIME_MS, c)?;
        *state = next;
    }
    Ok(())
}

/// The commands that save, submit and approve unit `u`'s report of month `m` (by the system).
pub fn approval(args: &Synth, u: u32, m: u32) -> Vec<Command> {
    let values = figures(args.elements, u, YEAR, m);
    report_approved(&covenant(), &unit_id(u), &format!("M{m:02}"), values)
}

/// The commands that save, submit and approve `unit`'s first revision of `window` with
/// `values`.
pub fn report_approved(
    covenant: &CovenantId,
    unit: &UnitId,
    window: &str,
    values: FigureMap,
) -> Vec<Command> {
    let save = Command::SaveFigures {
        covenant: covenant.clone(),
        unit: unit.clone(),
        window: window.to_owned(),
        values,
        comments: Default::default(),
    };
    let submit = Command::SubmitFigures {
        covenant: covenant.clone(),
        unit: unit.clone(),
        window: window.to_owned(),
        revision: 1,
    };
    let approve = Command::ApproveFigures {
        covenant: covenant.clone(),
        unit: unit.clone(),
        window: window.to_owned(),
        revision: 1,
    };
    vec![save, submit, approve]
}
