//! `thidua assign`: the cross-inspection assignment of a covenant's year-end as the log says it,
//! and with `--verify` recomputed from the log alone (seed from the members and their reveals,
//! ChaCha20 draw, constraints), reporting any difference. See `docs/assignment.md`.
use std::process::ExitCode;

use anyhow::Context;
use thidua_domain::yearend::audit::audit;
use thidua_domain::{CovenantId, Event};

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct AssignArgs {
    /// Giao ước / the covenant, e.g. gu-cum12-2024.
    #[arg(long)]
    pub covenant: String,
    /// Tính lại từ nhật ký và so sánh / recompute from the log alone and compare.
    #[arg(long)]
    pub verify: bool,
    /// JSON trên màn hình / JSON on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Every event of the store, decoded.
pub fn read_log(store: &StoreArgs) -> anyhow::Result<Vec<Event>> {
    let store = store.open_store()?;
    let size = store.size()?;
    let mut events = Vec::with_capacity(size as usize);
    let mut next = 0;
    while next < size {
        let batch = store.entries(next, size.min(next + 1000))?;
        anyhow::ensure!(!batch.is_empty(), "the log ended at {next} of {size}");
        for entry in &batch {
            events.push(Event::decode(entry.index, &entry.bytes)?);
        }
        next = batch.last().map_or(size, |e| e.index + 1);
    }
    Ok(events)
}

pub fn run(args: AssignArgs) -> anyhow::Result<ExitCode> {
    let covenant = CovenantId::parse(&args.covenant)?;
    let events = read_log(&args.store)?;
    let mut state = thidua_domain::State::default();
    for e in &events {
        state
            .apply(e)
            .with_context(|| format!("replaying event {}", e.index))?;
    }
    let review = state.review(&covenant)?;
    let Some((drawn, index)) = &review.drawn else {
        println!(
            "Chưa bốc thăm / not drawn yet ({} of {} units revealed)",
            review.reveals.len(),
            review.members.len()
        );
        return Ok(ExitCode::SUCCESS);
    };
    let recomputed = if args.verify {
        let a = audit(&events).map_err(anyhow::Error::msg)?;
        Some(
            a.draws
                .into_iter()
                .find(|(c, i, _)| *c == covenant && i == index)
                .map(|(_, _, d)| d),
        )
    } else {
        None
    };
    let same = recomputed.as_ref().map(|r| r.as_ref() == Some(drawn));
    if args.json {
        let v = serde_json::json!({
            "covenant": covenant,
            "event": index,
            "drawn": drawn,
            "pairs": review.pairs(),
            "decided": review.decided.as_ref().map(|(d, i)| serde_json::json!({"event": i, "decision": d})),
            "verified": same,
        });
        println!("{v}");
    } else {
        print_draw(&state, review, drawn, *index);
    }
    Ok(match same {
        Some(false) => {
            eprintln!("KHÔNG KHỚP / MISMATCH: the draw recomputed from the log differs from event {index}");
            ExitCode::FAILURE
        }
        Some(true) => {
            if !args.json {
                println!("Tính lại từ nhật ký: khớp / recomputed from the log: identical");
            }
            ExitCode::SUCCESS
        }
        None => ExitCode::SUCCESS,
    })
}

fn print_draw(
    state: &thidua_domain::State,
    review: &thidua_domain::yearend::Review,
    drawn: &thidua_domain::yearend::AssignmentDrawn,
    index: u64,
) {
    let name = |u: &thidua_domain::UnitId| {
        state
            .units
            .get(u)
            .map_or(u.to_string(), |x| format!("{} ({u})", x.name))
    };
    println!(
        "Bốc thăm / draw: event {index}, covenant {}",
        review.schedule.covenant
    );
    println!("  năm / year     {}", review.year);
    println!("  cụm / cluster  {}", review.cluster);
    for u in &review.members {
        match review.reveals.get(u) {
            Some(v) => println!("  công bố / reveal  {u}  {v}"),
            None => println!("  công bố / reveal  {u}  THIẾU / MISSING (constant)"),
        }
    }
    println!("  hạt giống / seed  {}", drawn.seed);
    println!("  bốc lại / redraws {}", drawn.redraws);
    if !drawn.relaxed.is_empty() {
        println!("  nới / relaxed     {}", drawn.relaxed.join(", "));
    }
    if let Some(why) = &drawn.infeasible {
        println!("  KHÔNG CÓ PHÂN CÔNG / NO ASSIGNMENT: {why}");
    }
    for p in review.pairs() {
        println!("  {} → {}", name(&p.inspector), name(&p.inspected));
    }
}
