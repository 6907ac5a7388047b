//! What a parameter's value may be, checked before anything is sent: the
//! command line's flags and the MCP server's arguments both go through
//! [`check`], so both refuse the same values with the same words.

use crate::table::{Kind, Location, Param};

/// Checks one value of `p` (an item, for an array; a path value may hold
/// several items joined by commas) and gives it in the form it is sent.
pub fn check(p: &Param, text: &str) -> Result<String, String> {
    if p.location == Location::Path {
        return check_path(p, text);
    }
    if !p.values.is_empty() && !p.values.iter().any(|v| v == text) {
        return Err(format!("`{text}` is not one of: {}", p.values.join(", ")));
    }
    check_value(p.kind, text.to_owned())
}

/// A path value: never empty or a dot segment (either would reach another
/// route), and of its kind.
fn check_path(p: &Param, text: &str) -> Result<String, String> {
    let items: Vec<&str> = if p.list.is_some() { text.split(',').collect() } else { vec![text] };
    for item in &items {
        if let Some(problem) = drun_runtime::request::segment_problem(item) {
            return Err(format!("the value {problem}"));
        }
        check_value(p.kind, (*item).to_owned())?;
        if !p.values.is_empty() && !p.values.iter().any(|v| v == item) {
            return Err(format!("`{item}` is not one of: {}", p.values.join(", ")));
        }
    }
    Ok(text.to_owned())
}

/// Checks that `text` is a value of `kind`; integers come back in their
/// plain form (`007` -> `7`), as the client writes them.
pub fn check_value(kind: Kind, text: String) -> Result<String, String> {
    fn int<T: std::str::FromStr + ToString>(text: &str, what: &str) -> Result<String, String> {
        text.trim().parse::<T>().map(|v| v.to_string()).map_err(|_| format!("not {what}"))
    }
    match kind {
        Kind::Text => Ok(text),
        Kind::Bool => match text.as_str() {
            "true" | "false" => Ok(text),
            _ => Err("not `true` or `false`".to_owned()),
        },
        Kind::I32 => int::<i32>(&text, "a 32-bit integer"),
        Kind::I64 => int::<i64>(&text, "a 64-bit integer"),
        Kind::U32 => int::<u32>(&text, "a 32-bit unsigned integer"),
        Kind::U64 => int::<u64>(&text, "a 64-bit unsigned integer"),
        Kind::Float => match text.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(text.trim().to_owned()),
            _ => Err("not a finite number".to_owned()),
        },
        Kind::Object | Kind::DeepObject => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(_)) => Ok(text),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(e) => Err(format!("not a JSON object ({e})")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(check_value(Kind::I32, "007".to_owned()).unwrap(), "7");
        assert!(check_value(Kind::I32, "3000000000".to_owned()).is_err());
        assert!(check_value(Kind::U64, "-1".to_owned()).is_err());
        assert!(check_value(Kind::Float, "NaN".to_owned()).is_err());
        assert!(check_value(Kind::Object, "[1]".to_owned()).is_err());
    }
}
