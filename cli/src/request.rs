//! A command line's request: its parameters as the crate's `CallParams` (checked by
//! `Client::call` against the operation table before anything is sent) and its body, from
//! `--body FILE|-` and the body field flags.

use crate::exit::Failure;
use clap::ArgMatches;
use pinterest_v5::client::CallParams;
use pinterest_v5::operation::{Operation, ValueType};
use serde_json::{Map, Value};
use std::io::Read;

/// The parameters and body of `pinterest call`: `--param NAME=VALUE`… and `--body`.
pub(crate) fn call_params(m: &ArgMatches) -> Result<CallParams, Failure> {
    let mut params = CallParams::new();
    for given in m.get_many::<String>("param").into_iter().flatten() {
        let Some((name, value)) = given.split_once('=') else {
            return Err(Failure::usage(format!(
                "--param `{given}` has no `=`; give it as NAME=VALUE (`--param pin_id=123`)"
            )));
        };
        params = params.param(name, value);
    }
    if let Some(source) = m.get_one::<String>("body") {
        params = params.body(read_body(source)?);
    }
    Ok(params)
}

/// The parameters and body of an operation's own subcommand: its parameter flags, `--body`
/// and its body field flags (which set fields of the `--body` object).
pub(crate) fn operation_params(op: &Operation, m: &ArgMatches) -> Result<CallParams, Failure> {
    let mut params = CallParams::new();
    for p in op.parameters {
        for value in raw_values(m, &format!("param:{}", p.name))? {
            params = params.param(p.name, value);
        }
    }
    let Some(body) = op.body else {
        return Ok(params);
    };
    let mut value = match m.get_one::<String>("body") {
        Some(source) => Some(read_body(source)?),
        None => None,
    };
    for f in body.fields {
        let Some(text) = raw_values(m, &format!("field:{}", f.name))?.pop() else {
            continue;
        };
        let object = match value.get_or_insert_with(|| Value::Object(Map::new())) {
            Value::Object(object) => object,
            _ => {
                return Err(Failure::usage(format!(
                    "the body of --body is not a JSON object, so the flag of its field `{}` cannot be set in it; put the field in the body instead",
                    f.name
                )));
            }
        };
        object.insert(f.name.to_string(), field_value(f.value_type, &text));
    }
    Ok(match value {
        Some(v) => params.body(v),
        None => params,
    })
}

/// The values given for the arg `id`, as text (clap has checked their type).
fn raw_values(m: &ArgMatches, id: &str) -> Result<Vec<String>, Failure> {
    let Ok(Some(values)) = m.try_get_raw(id) else {
        return Ok(Vec::new());
    };
    values
        .map(|v| {
            v.to_str().map(str::to_string).ok_or_else(|| {
                Failure::usage(format!(
                    "the value of `{}` is not valid UTF-8",
                    id.split_once(':').map_or(id, |(_, name)| name)
                ))
            })
        })
        .collect()
}

/// A body field's value as JSON, by its type (the text has been checked against it).
fn field_value(ty: ValueType, text: &str) -> Value {
    let parsed = match ty {
        ValueType::String => None,
        ValueType::Integer => text.parse::<i64>().ok().map(Value::from),
        ValueType::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        ValueType::Boolean => text.parse::<bool>().ok().map(Value::Bool),
    };
    parsed.unwrap_or_else(|| Value::String(text.to_string()))
}

/// The JSON document of `--body`: a file, or stdin for `-`.
pub(crate) fn read_body(source: &str) -> Result<Value, Failure> {
    let (text, from) = match source {
        "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                Failure::usage(format!("cannot read the body from standard input: {e}"))
            })?;
            (text, "standard input".to_string())
        }
        path => (
            std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("cannot read the body file {path}: {e}")))?,
            path.to_string(),
        ),
    };
    // serde_json's message gives the place, never the text.
    serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!("the body in {from} is not JSON: {e}"))
            .hint("give a JSON document (`--body FILE`, or `--body -` for standard input); nothing was sent")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values_take_their_type() {
        assert_eq!(field_value(ValueType::Integer, "7"), Value::from(7));
        assert_eq!(field_value(ValueType::Boolean, "true"), Value::Bool(true));
        assert_eq!(field_value(ValueType::String, "7"), Value::from("7"));
        assert_eq!(field_value(ValueType::Number, "1.5"), Value::from(1.5));
    }
}
