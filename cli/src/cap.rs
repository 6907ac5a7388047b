//! Answers sized for agents: an MCP client passes a tool's result to a
//! model whole, and one long list can overflow its context. A result over
//! the cap is cut at item boundaries into valid JSON, saying how many
//! items were left out and how to get them.

use serde_json::{Map, Value, json};

/// The default cap on a `call_operation` result, in bytes of JSON.
pub const DEFAULT_BYTES: usize = 16 * 1024;

/// The largest cap a server or a call may ask for.
pub const MAX_BYTES: usize = 1024 * 1024;

/// `result` as it is when its JSON fits in `cap` bytes; otherwise its
/// longest list (the paged list's items when there is one) cut to the
/// items that fit, with a `truncated` note. A result with no list to cut
/// is replaced by a note of its size.
pub fn cap(result: Value, cap: usize, items_field: Option<&str>) -> Value {
    let size = result.to_string().len();
    if size <= cap {
        return result;
    }
    let hint = "call again with a larger `max_bytes`, a narrower query or smaller pages (page size, next page)";
    match result {
        Value::Array(items) => {
            let (kept, left_out) = fit(items, cap, |kept| json!({"items": kept, "truncated": {}}));
            json!({"items": kept, "truncated": note(left_out, size, hint)})
        }
        Value::Object(fields) => match longest_list(&fields, items_field) {
            Some(key) => {
                let mut fields = fields;
                let Some(Value::Array(items)) = fields.remove(&key) else { return Value::Object(fields) };
                let rest = fields.clone();
                let (kept, left_out) = fit(items, cap, |kept| {
                    let mut whole = rest.clone();
                    whole.insert(key.clone(), kept);
                    whole.insert("truncated".to_owned(), json!({}));
                    Value::Object(whole)
                });
                fields.insert(key.clone(), kept);
                let mut note = note(left_out, size, hint);
                note["list"] = json!(key);
                fields.insert("truncated".to_owned(), note);
                Value::Object(fields)
            }
            None => json!({"truncated": {"bytes": size, "cap": cap, "hint": hint}}),
        },
        _ => json!({"truncated": {"bytes": size, "cap": cap, "hint": hint}}),
    }
}

/// The field holding the paged list's items, or else the array whose JSON
/// is longest.
fn longest_list(fields: &Map<String, Value>, items_field: Option<&str>) -> Option<String> {
    if let Some(items) = items_field.filter(|f| fields.get(*f).is_some_and(Value::is_array)) {
        return Some(items.to_owned());
    }
    fields.iter().filter(|(_, v)| v.is_array()).max_by_key(|(_, v)| v.to_string().len()).map(|(k, _)| k.clone())
}

/// As many leading items as fit in `cap` once wrapped (`wrap` builds the
/// result around a list, for measuring), and how many were left out.
fn fit(items: Vec<Value>, cap: usize, wrap: impl Fn(Value) -> Value) -> (Value, usize) {
    // Room for the note, which is written after measuring.
    let budget = cap.saturating_sub(wrap(json!([])).to_string().len() + 200);
    let mut used = 0;
    let mut kept = Vec::new();
    let total = items.len();
    for item in items {
        let len = item.to_string().len() + 1;
        if used + len > budget {
            break;
        }
        used += len;
        kept.push(item);
    }
    let left_out = total - kept.len();
    (Value::Array(kept), left_out)
}

fn note(left_out: usize, size: usize, hint: &str) -> Value {
    json!({"items_left_out": left_out, "bytes": size, "hint": hint})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({"id": format!("u{i}"), "name": "x".repeat(50)})).collect()
    }

    #[test]
    fn a_result_under_the_cap_is_untouched() {
        let page = json!({"items": users(3), "pagination": {"total": 3}});
        assert_eq!(cap(page.clone(), DEFAULT_BYTES, Some("items")), page);
    }

    #[test]
    fn a_long_list_is_cut_at_item_boundaries_into_valid_json() {
        let page = json!({"items": users(1000), "pagination": {"total": 1000}});
        let cut = cap(page, 4096, Some("items"));
        let text = cut.to_string();
        assert!(text.len() <= 4096, "{} bytes", text.len());
        let kept = cut["items"].as_array().unwrap().len();
        assert!(kept > 10, "{kept}");
        assert_eq!(cut["truncated"]["items_left_out"], json!(1000 - kept));
        assert_eq!(cut["truncated"]["list"], json!("items"));
        assert_eq!(cut["pagination"]["total"], json!(1000));
        assert_eq!(cut["items"][0]["id"], json!("u0"));
        let all_pages = cap(json!({"items": users(500), "pages": 5, "complete": true}), 2048, None);
        assert!(all_pages.to_string().len() <= 2048 && all_pages["truncated"]["items_left_out"].as_u64() > Some(400));
        let bare = cap(Value::Array(users(500)), 2048, None);
        assert!(bare.to_string().len() <= 2048 && bare["items"].is_array());
    }

    #[test]
    fn a_large_answer_without_a_list_becomes_a_note() {
        let cut = cap(json!({"blob": "y".repeat(10_000)}), 1024, None);
        assert_eq!(cut["truncated"]["bytes"], json!(10_011), "{{\"blob\":\"\"}} and 10,000 bytes");
    }
}
