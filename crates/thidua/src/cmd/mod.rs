//! One module per `thidua` subcommand.
pub mod assign;
pub mod backup;
pub mod bench;
pub mod bench_figures;
pub mod bench_flags;
pub mod bench_history;
pub mod bench_progress;
pub mod bench_score;
pub mod doc;
pub mod evidence;
pub mod export_tiles;
pub mod figures;
pub mod known_logs;
pub mod log;
pub mod migrate;
pub mod score;
pub mod serve;
pub mod user;
pub mod verify;
pub mod vote;
pub mod witness;

/// The user a console command acts as (`--as USER`): one the log knows, else the domain's own
/// refusal `unknown_user` (said in both languages by `main`, as the web says it), never the
/// "forbidden" that the command would get for an actor who does not exist.
pub fn acting_user(
    state: &thidua_domain::State,
    name: &str,
) -> anyhow::Result<thidua_domain::Actor> {
    let user = thidua_domain::UserId::parse(name)?;
    if !state.users.contains_key(&user) {
        return Err(thidua_domain::DomainError::UnknownUser(user.to_string()).into());
    }
    Ok(thidua_domain::Actor::User(user))
}
