//! The command line, built at run time from the crate's operation table: one subcommand per
//! API area (`pins`, `ad-accounts`), one per operation below it (`pins create`), each
//! parameter a flag (`--board-id`), each simple body field a flag (`--title`) and the whole
//! body `--body FILE|-`; beside them `call`, `auth`, `completions` and `media upload`.

use crate::exit::{Failure, STATUSES};
use crate::output::{self, FORMATS, Items};
use crate::settings::Settings;
use crate::{auth, media, request};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use pinterest_v5::client::CallParams;
use pinterest_v5::operation::{self, Location, Operation, ValueType};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

/// Flags every subcommand takes (`pinterest pins list --output table`), and the other long
/// names an operation's own flags must not take.
const RESERVED: [&str; 12] = [
    "output",
    "token",
    "token-file",
    "sandbox",
    "base-url",
    "app-id",
    "app-secret",
    "redirect-uri",
    "body",
    "all",
    "help",
    "version",
];

/// The help heading of the flags every subcommand takes.
const GLOBAL: &str = "Global options";

/// The whole command line.
pub(crate) fn root() -> Command {
    let mut root = Command::new("pinterest")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every operation of Pinterest's REST API v5, from the command line")
        .long_about(
            "Every operation of Pinterest's REST API v5, from the command line.\n\n\
             Sign in once with `pinterest auth login` (your app's id and secret from \
             PINTEREST_APP_ID and PINTEREST_APP_SECRET), then call operations by area \
             (`pinterest boards list`) or by id (`pinterest call boards/list`). Replies are \
             JSON on stdout; errors go to stderr.",
        )
        .after_help(STATUSES)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommand(call_command())
        .subcommand(auth::command())
        .subcommand(
            Command::new("completions")
                .about("Prints a shell completion script (bash, zsh, fish, elvish, powershell)")
                .after_help("bash: pinterest completions bash > ~/.local/share/bash-completion/completions/pinterest\nzsh:  pinterest completions zsh > \"${fpath[1]}/_pinterest\"\nfish: pinterest completions fish > ~/.config/fish/completions/pinterest.fish")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        );
    for (area, ops) in areas() {
        let mut cmd = Command::new(kebab(area))
            .about(format!("Operations of the `{area}` area"))
            .subcommand_required(true)
            .arg_required_else_help(true);
        if area.contains('_') {
            cmd = cmd.alias(area);
        }
        for (name, op) in ops {
            cmd = cmd.subcommand(operation_command(op, name));
        }
        if area == "media" {
            cmd = cmd.subcommand(media::command());
        }
        root = root.subcommand(cmd);
    }
    root
}

/// The flags of every subcommand.
fn global_args() -> Vec<Arg> {
    let text = |id: &'static str| {
        Arg::new(id)
            .long(id)
            .global(true)
            .action(ArgAction::Set)
            .help_heading(GLOBAL)
    };
    vec![
        text("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(FORMATS)
            .help("json (pretty on a terminal, compact otherwise), yaml, or table"),
        text("token")
            .value_name("ACCESS_TOKEN")
            .help("A bare access token, sent as is and never refreshed (or PINTEREST_ACCESS_TOKEN)"),
        text("token-file").value_name("PATH").help(
            "The token file of `auth login` (or PINTEREST_TOKEN_FILE; default token.json in the config directory)",
        ),
        Arg::new("sandbox")
            .long("sandbox")
            .global(true)
            .action(ArgAction::SetTrue)
            .help_heading(GLOBAL)
            .conflicts_with("base-url")
            .help("Send requests to Pinterest's sandbox (api-sandbox.pinterest.com)"),
        text("base-url").value_name("URL").help(
            "Send requests to this base URL (https, or http on loopback); PINTEREST_ENV also takes production, sandbox or a URL",
        ),
        text("app-id")
            .value_name("ID")
            .help("Your app's id (or PINTEREST_APP_ID, or `app_id` in the config file)"),
        text("app-secret").value_name("SECRET").help(
            "Your app's secret (prefer PINTEREST_APP_SECRET or `app_secret` in the config file: a flag shows in the process list)",
        ),
        text("redirect-uri").value_name("URI").help(
            "The redirect URI registered for your app, on loopback (or PINTEREST_REDIRECT_URI; default http://localhost:8085/)",
        ),
    ]
}

/// `pinterest call OPERATION_ID`.
fn call_command() -> Command {
    Command::new("call")
        .about("Calls any operation by its id (`pins/create`) or method name (`pins_create`)")
        .long_about(
            "Calls any operation by its id (`pins/create`) or method name (`pins_create`), \
             with each parameter as NAME=VALUE under the description's name (path, query or \
             header), repeated for an array, and the body as JSON.",
        )
        .arg(
            Arg::new("operation")
                .value_name("OPERATION_ID")
                .required(true)
                .help(
                    "The description's operation id (pins/create) or the method name (pins_create)",
                ),
        )
        .arg(
            Arg::new("param")
                .long("param")
                .short('p')
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help(
                    "A parameter, by the description's name; repeat it for each value of an array",
                ),
        )
        .arg(body_arg(false))
        .arg(all_arg())
}

fn body_arg(required: bool) -> Arg {
    let help = match required {
        true => "The request body as JSON: a file, or - for stdin (the body flags set its fields)",
        false => "The request body as JSON: a file, or - for stdin",
    };
    Arg::new("body")
        .long("body")
        .value_name("FILE|-")
        .action(ArgAction::Set)
        .help(help)
}

fn all_arg() -> Arg {
    Arg::new("all")
        .long("all")
        .action(ArgAction::SetTrue)
        .help("Follow the bookmark through every page, printing each item as a JSON line")
}

/// The operations of each area, each with its subcommand's name, areas and names sorted.
pub(crate) fn areas() -> BTreeMap<&'static str, BTreeMap<String, &'static Operation>> {
    let mut areas: BTreeMap<&str, BTreeMap<String, &Operation>> = BTreeMap::new();
    for op in operation::operations() {
        areas
            .entry(op.area)
            .or_default()
            .insert(command_name(op), op);
    }
    areas
}

/// The subcommand of `op` in its area: its id without the area (`pins/create` → `create`,
/// `ad_groups_bid_floor/get` → `bid-floor-get`), in kebab case.
pub(crate) fn command_name(op: &Operation) -> String {
    let area = op.area;
    let singular = area.strip_suffix('s').unwrap_or(area);
    let id = op.operation_id;
    let name = match id.split_once('/') {
        Some((first, rest)) if first == area || first == singular => rest,
        _ => [area, singular]
            .iter()
            .find_map(|a| id.strip_prefix(a).and_then(|r| r.strip_prefix('_')))
            .unwrap_or(id),
    };
    kebab(name)
}

fn kebab(name: &str) -> String {
    name.replace(['_', '/'], "-")
}

/// The arg id of a parameter (ids of parameters and body fields never meet those of the global
/// flags).
fn param_id(name: &str) -> String {
    format!("param:{name}")
}

fn field_id(name: &str) -> String {
    format!("field:{name}")
}

/// The subcommand of one operation.
fn operation_command(op: &'static Operation, name: String) -> Command {
    let about = match op.summary {
        "" => op.operation_id.to_string(),
        s => s.to_string(),
    };
    let mut long = format!(
        "{about}\n\n{} {} (operation id `{}`, method `{}`)",
        op.method, op.path, op.operation_id, op.name
    );
    if !op.sandbox {
        long.push_str("\nNot served by the sandbox.");
    }
    if op.paginated {
        long.push_str("\nPaginated: --all follows every page.");
    }
    let mut cmd = Command::new(name).about(about).long_about(long);
    let mut taken: HashSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    for p in op.parameters {
        let location = match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        };
        let flag = free_flag(&mut taken, &kebab(p.name), location);
        let mut help = format!("{location} parameter `{}`", p.name);
        if p.array {
            help.push_str(" (repeat the flag for each value)");
        }
        let arg = Arg::new(param_id(p.name))
            .long(flag)
            .value_name(value_name(p.value_type))
            .required(p.required)
            .help(help)
            .action(match p.array {
                true => ArgAction::Append,
                false => ArgAction::Set,
            });
        cmd = cmd.arg(typed(arg, p.value_type));
    }
    if let Some(body) = op.body {
        cmd = cmd.arg(body_arg(!body.fields.is_empty()));
        for f in body.fields {
            let flag = free_flag(&mut taken, &kebab(f.name), "body");
            let mut help = format!("body field `{}`", f.name);
            if f.required {
                help.push_str(" (required, here or in --body)");
            }
            let arg = Arg::new(field_id(f.name))
                .long(flag)
                .value_name(value_name(f.value_type))
                .help(help)
                .action(ArgAction::Set);
            cmd = cmd.arg(typed(arg, f.value_type));
        }
    }
    if op.paginated {
        cmd = cmd.arg(all_arg());
    }
    cmd
}

/// `flag`, or `<prefix>-<flag>` when another flag has the name already.
fn free_flag(taken: &mut HashSet<String>, flag: &str, prefix: &str) -> String {
    let mut chosen = flag.to_string();
    if taken.contains(&chosen) {
        chosen = format!("{prefix}-{flag}");
    }
    taken.insert(chosen.clone());
    chosen
}

fn value_name(ty: ValueType) -> &'static str {
    match ty {
        ValueType::String => "TEXT",
        ValueType::Integer => "INTEGER",
        ValueType::Number => "NUMBER",
        ValueType::Boolean => "true|false",
    }
}

/// Checks the value's type when the command line is read: a wrong one is a usage error before
/// anything is sent.
fn typed(arg: Arg, ty: ValueType) -> Arg {
    match ty {
        ValueType::String => arg,
        ValueType::Integer => arg.value_parser(value_parser!(i64)),
        ValueType::Number => arg.value_parser(value_parser!(f64)),
        ValueType::Boolean => arg.value_parser(value_parser!(bool)),
    }
}

/// Runs the command `matches` names.
pub(crate) async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::read(matches)?;
    match matches.subcommand() {
        Some(("call", m)) => {
            let id = m
                .get_one::<String>("operation")
                .map(String::as_str)
                .unwrap_or_default();
            let params = request::call_params(m)?;
            let Some(op) = operation::lookup(id) else {
                return Err(Failure::usage(format!(
                    "no operation `{id}`; give a description's id like `pins/create` or a method name like `pins_create`"
                ))
                .hint("`pinterest --help` lists the areas, `pinterest AREA --help` their operations"));
            };
            send(&settings, op, params, m.get_flag("all")).await
        }
        Some(("auth", m)) => auth::run(&settings, m).await,
        Some(("completions", m)) => {
            let Some(shell) = m.get_one::<clap_complete::Shell>("shell").copied() else {
                return Err(Failure::usage(
                    "name a shell: bash, zsh, fish, elvish or powershell",
                ));
            };
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut root(), "pinterest", &mut script);
            output::print_text(&String::from_utf8_lossy(&script))
        }
        Some((area, m)) => {
            let Some((name, m)) = m.subcommand() else {
                return Err(Failure::usage(format!("name an operation of `{area}`")));
            };
            if area == "media" && name == media::UPLOAD {
                return media::upload(&settings, m).await;
            }
            let op = operation::operations()
                .iter()
                .find(|op| kebab(op.area) == area && command_name(op) == name)
                .ok_or_else(|| Failure::usage(format!("no operation `{area} {name}`")))?;
            let params = request::operation_params(op, m)?;
            let all = op.paginated && m.get_flag("all");
            send(&settings, op, params, all).await
        }
        None => Err(Failure::usage(
            "name a command; `pinterest --help` lists them",
        )),
    }
}

/// Sends `op` once, or page by page with `all`, and prints the reply.
async fn send(
    settings: &Settings,
    op: &'static Operation,
    params: CallParams,
    all: bool,
) -> Result<(), Failure> {
    if all && !op.paginated {
        return Err(Failure::usage(format!(
            "`{}` does not page (it has no `bookmark` parameter); call it without --all",
            op.operation_id
        )));
    }
    let client = settings.client().await?;
    if !all {
        let reply = client.call(op.name, params).await?;
        return output::print(settings.format, &reply);
    }
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    progress.enable_steady_tick(Duration::from_millis(120));
    let mut items = Items::new(settings.format);
    let (mut pages, mut count) = (0usize, 0usize);
    let mut stream = std::pin::pin!(client.call_pages(op.name, params));
    let outcome = async {
        while let Some(page) = stream.try_next().await? {
            pages += 1;
            count += items.page(page)?;
            progress.set_message(format!("{pages} pages, {count} items"));
        }
        Ok::<(), Failure>(())
    }
    .await;
    progress.finish_and_clear();
    outcome?;
    items.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        root().debug_assert();
    }

    #[test]
    fn every_operation_has_a_subcommand_of_its_own() {
        let count: usize = areas().values().map(BTreeMap::len).sum();
        assert_eq!(count, operation::operations().len());
    }

    #[test]
    fn names_drop_the_area() {
        let name = |id: &str| command_name(operation::lookup(id).expect(id));
        assert_eq!(name("pins/create"), "create");
        assert_eq!(name("ad_account/analytics"), "analytics");
        assert_eq!(name("ad_groups_bid_floor/get"), "bid-floor-get");
        assert_eq!(name("board_sections/list_pins"), "sections-list-pins");
    }
}
