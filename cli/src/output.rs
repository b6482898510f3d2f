//! How replies are printed on stdout: JSON (pretty on a terminal, compact otherwise, so that a
//! pipe gets one line), YAML, or a table for lists. `--all` streams JSON lines: one item a line,
//! as each page arrives.

use crate::exit::Failure;
use serde_json::Value;
use std::io::{IsTerminal, Write};

/// The output format of `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON: pretty on a terminal, compact otherwise.
    Json,
    /// YAML.
    Yaml,
    /// A table of a list's items (columns: their fields), or of an object's fields.
    Table,
}

/// The values `--output` takes.
pub(crate) const FORMATS: [&str; 3] = ["json", "yaml", "table"];

impl Format {
    /// The format named on the command line (JSON when none is).
    pub(crate) fn parse(name: Option<&str>) -> Result<Format, Failure> {
        match name {
            None | Some("json") => Ok(Format::Json),
            Some("yaml") => Ok(Format::Yaml),
            Some("table") => Ok(Format::Table),
            Some(other) => Err(Failure::usage(format!(
                "unknown output format `{other}`; give one of json, yaml, table"
            ))),
        }
    }
}

/// Prints one reply.
pub(crate) fn print(format: Format, value: &Value) -> Result<(), Failure> {
    if value.is_null() && format != Format::Yaml {
        // An empty reply (204): nothing to print.
        return Ok(());
    }
    let text = match format {
        Format::Json if std::io::stdout().is_terminal() => pretty_json(value),
        Format::Json => value.to_string(),
        Format::Yaml => yaml(value)?,
        Format::Table => {
            if let Some(bookmark) = value.get("bookmark").and_then(Value::as_str) {
                eprintln!("more items: add --bookmark {bookmark}, or --all for every page");
            }
            table(value)
        }
    };
    write_stdout(&text)
}

/// Prints the items of every page of a paginated operation as they come: JSON lines, a YAML
/// document per item, or one table of them all at the end.
pub(crate) struct Items {
    format: Format,
    kept: Vec<Value>,
}

impl Items {
    /// Starts printing in `format`.
    pub(crate) fn new(format: Format) -> Items {
        Items {
            format,
            kept: Vec::new(),
        }
    }

    /// Prints (or, for a table, keeps) the items of `page`; a page without `items` counts as
    /// one item. Answers how many items it had.
    pub(crate) fn page(&mut self, page: Value) -> Result<usize, Failure> {
        let items = match page {
            Value::Object(mut object) => match object.remove("items") {
                Some(Value::Array(items)) => items,
                Some(other) => {
                    object.insert("items".into(), other);
                    vec![Value::Object(object)]
                }
                None => vec![Value::Object(object)],
            },
            other => vec![other],
        };
        let count = items.len();
        match self.format {
            Format::Table => self.kept.extend(items),
            Format::Json => {
                let mut text = String::new();
                for item in &items {
                    text.push_str(&item.to_string());
                    text.push('\n');
                }
                write_raw(&text)?;
            }
            Format::Yaml => {
                let mut text = String::new();
                for item in &items {
                    text.push_str("---\n");
                    text.push_str(&yaml(item)?);
                }
                write_raw(&text)?;
            }
        }
        Ok(count)
    }

    /// Prints what was kept (the table).
    pub(crate) fn finish(self) -> Result<(), Failure> {
        match self.format {
            Format::Table => write_stdout(&table(&Value::Array(self.kept))),
            Format::Json | Format::Yaml => Ok(()),
        }
    }
}

fn pretty_json(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn yaml(value: &Value) -> Result<String, Failure> {
    serde_yaml_ng::to_string(value)
        .map_err(|e| Failure::other(format!("cannot write the reply as YAML: {e}")))
}

/// The widest a cell gets before it is cut (in characters).
const CELL_WIDTH: usize = 60;

/// A table of `value`: a list of objects (or a page's `items`) with a column per field (`id`
/// first, then by name), a list of other values in one column, an object as field and value.
pub(crate) fn table(value: &Value) -> String {
    let rows = match value {
        Value::Array(rows) => Some(rows),
        Value::Object(object) => object.get("items").and_then(Value::as_array),
        _ => None,
    };
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    match (rows, value) {
        (Some(rows), _) if !rows.is_empty() && rows.iter().all(Value::is_object) => {
            let mut columns: Vec<&str> = Vec::new();
            for row in rows.iter().filter_map(Value::as_object) {
                for key in row.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            columns.sort_by_key(|c| (*c != "id", *c));
            table.set_header(columns.iter().copied());
            for row in rows {
                table.add_row(columns.iter().map(|c| cell(row.get(*c))));
            }
        }
        (Some(rows), _) => {
            table.set_header(["value"]);
            for row in rows {
                table.add_row([cell(Some(row))]);
            }
        }
        (None, Value::Object(object)) => {
            table.set_header(["field", "value"]);
            for (key, v) in object {
                table.add_row([key.clone(), cell(Some(v))]);
            }
        }
        (None, scalar) => return cell(Some(scalar)),
    }
    table.to_string()
}

/// A value as a cell: text as is, nothing for null, other values as compact JSON, cut to
/// [`CELL_WIDTH`] characters.
fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.replace('\n', " "),
        Some(other) => other.to_string(),
    };
    match text.char_indices().nth(CELL_WIDTH) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Prints `text` as it is (a completion script).
pub(crate) fn print_text(text: &str) -> Result<(), Failure> {
    write_raw(text)
}

/// Writes `text` and a line end to stdout.
fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write_raw(&text)
}

/// Writes `text` to stdout. A reader that went away (`| head`) ends the run quietly, as it does
/// for other tools.
fn write_raw(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure::other(format!("cannot write to stdout: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_of_objects_has_a_column_per_field_id_first() {
        let text =
            table(&json!({"items": [{"name": "Soup", "id": "1"}, {"id": "2", "note": null}]}));
        let header = text.lines().nth(1).expect("a header line");
        let id = header.find("id").expect("id");
        let name = header.find("name").expect("name");
        let note = header.find("note").expect("note");
        assert!(id < name && name < note, "{header}");
        assert!(text.contains("Soup"));
    }

    #[test]
    fn long_cells_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(cell(Some(&json!(long))).chars().count(), CELL_WIDTH + 1);
        assert_eq!(cell(Some(&json!({"a": 1}))), r#"{"a":1}"#);
        assert_eq!(cell(Some(&Value::Null)), "");
    }
}
