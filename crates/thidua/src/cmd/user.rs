//! `thidua user`: the operator's account tools at the console — create an administrator
//! (instead of the printed bootstrap token) and reset a password. Passwords are read from
//! standard input, never from a flag, so they stay out of shell history and process lists; on
//! a terminal without echo, typed twice.
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use thidua_domain::{Text, UserId};

use crate::output::sayln;
use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(clap::Subcommand)]
pub enum UserAction {
    /// Tạo quản trị viên / create an administrator (password on standard input).
    Add {
        /// Tên đăng nhập / login name (a-z, 0-9, '.', '-', '_').
        user: String,
        /// Họ và tên / display name.
        #[arg(long)]
        name: String,
        /// Cấp quyền quản trị hệ thống / grant the administrator role (required for now).
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Đặt lại mật khẩu; các phiên đăng nhập bị đóng và mã API bị thu hồi / reset a user's
    /// password (on standard input): the user's sessions are ended and API tokens revoked.
    Passwd {
        /// Tên đăng nhập / the user's login name.
        user: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The new password: typed twice without echo on a terminal (put back as it was however the
/// prompt ends, [`crate::terminal`]), else the first line of standard input (a script's pipe).
fn read_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = crate::terminal::prompt_password("Nhập mật khẩu / password: ")?;
        let again = crate::terminal::prompt_password("Nhập lại / again: ")?;
        anyhow::ensure!(
            first == again,
            "hai lần nhập không khớp / the two entries differ: nothing changed"
        );
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => anyhow::anyhow!(
                    "mật khẩu trên đầu vào chuẩn không phải văn bản UTF-8: không đổi gì / the \
                     password on standard input is not UTF-8 text: nothing changed"
                ),
                _ => anyhow::Error::new(e).context(
                    "không đọc được mật khẩu trên đầu vào chuẩn / cannot read the password on \
                     standard input",
                ),
            })?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    anyhow::ensure!(
        !password.is_empty(),
        "không có mật khẩu trên đầu vào chuẩn / no password on standard input"
    );
    Ok(password)
}

/// An account refusal in both languages, the web's sentence for its code then the detail in
/// English; a refusal of the domain goes on as itself (`main` says it in both languages).
fn account_error(e: thidua_web::accounts::AccountError) -> anyhow::Error {
    use thidua_web::accounts::AccountError;
    match e {
        AccountError::Service(e) => e.into(),
        AccountError::Hashing | AccountError::Store(_) => e.into(),
        e => anyhow::anyhow!("{} / {e}", thidua_web::i18n::Lang::Vi.error(e.code())),
    }
}

pub fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        UserAction::Add {
            user,
            name,
            admin,
            store,
        } => {
            anyhow::ensure!(
                admin,
                "ở đây chỉ tạo quản trị viên (--admin); người dùng khác và vai trò được quản lý \
                 trên giao diện web (/admin) / only administrators are created here (--admin); \
                 other users and roles are managed in the web UI (/admin)"
            );
            let user = UserId::parse(&user)?;
            let name = Text::parse("name", &name, 200)?;
            let password = read_password()?;
            // The password is checked before the log is opened: `user add` may create a new
            // deployment (the first administrator at the console), but not for a password it
            // then refuses.
            thidua_web::accounts::check_password_policy(&password).map_err(account_error)?;
            let new = store.would_create()?;
            let (service, stores) = store.open_running()?;
            if new {
                store.say_created();
            }
            // An existing user is never changed here: its password is `user passwd`'s, its
            // roles the web administration's.
            anyhow::ensure!(
                !service.read().users.contains_key(&user),
                "người dùng {user} đã có: đổi mật khẩu bằng `thidua user passwd {user}`, vai trò tại /admin / user {user} already exists: reset its password with `thidua user passwd {user}`, its roles at /admin"
            );
            thidua_web::accounts::create_admin(
                &*stores.accounts,
                &service,
                &user,
                &name,
                &password,
            )
            .map_err(account_error)?;
            sayln!("Đã tạo quản trị viên {user} / administrator {user} created")?;
        }
        UserAction::Passwd { user, store } => {
            let user = UserId::parse(&user)?;
            let (service, stores) = store.open_existing_running()?;
            anyhow::ensure!(
                service.read().users.contains_key(&user),
                "không có người dùng / no user {user} in the log"
            );
            let password = read_password()?;
            let operator = thidua_domain::Actor::System;
            thidua_web::accounts::reset_password(
                &*stores.accounts,
                &service,
                &operator,
                &user,
                &password,
            )
            .map_err(account_error)?;
            sayln!(
                "Đã đặt lại mật khẩu của {user}; các phiên đăng nhập đã đóng và mọi mã API của \
                 {user} đã bị thu hồi (tạo mã mới tại /account) / password of {user} reset; its \
                 sessions are ended and every API token of {user} is revoked (make new ones at \
                 /account)"
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
