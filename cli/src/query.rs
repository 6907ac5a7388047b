//! `--query EXPR`: keep what you need of an answer, in jq's syntax, with
//! jaq (a maintained Rust implementation of jq and its standard library).
//! Compiled once, before anything is sent, and run on a single answer or
//! on each item of `--all`.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Native, RcIter};
use jaq_json::Val;
use serde_json::Value;

/// A compiled query.
pub struct Query {
    filter: jaq_core::Filter<Native<Val>>,
}

impl Query {
    /// Compiles `code`, or says why it is not a query.
    pub fn new(code: &str) -> Result<Self, String> {
        let loader = Loader::new(jaq_std::defs().chain(jaq_json::defs()));
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| format!("`{code}` is not a jq query ({} error(s) in its syntax)", errors.len()))?;
        let filter = Compiler::default().with_funs(jaq_std::funs().chain(jaq_json::funs())).compile(modules).map_err(
            |errors| {
                let names: Vec<String> =
                    errors.iter().flat_map(|(_, errs)| errs.iter().map(|(name, _)| format!("`{name}`"))).collect();
                format!("`{code}` does not compile: unknown {}", names.join(", "))
            },
        )?;
        Ok(Self { filter })
    }

    /// The values the query gives for `input`, in order.
    pub fn run(&self, input: Value) -> Result<Vec<Value>, String> {
        let inputs = RcIter::new(core::iter::empty());
        self.filter
            .run((Ctx::new([], &inputs), Val::from(input)))
            .map(|out| out.map(Value::from).map_err(|e| format!("the query failed: {e}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queries_run_with_the_standard_library() {
        let page = json!({"items": [{"name": "a", "n": 1}, {"name": "b", "n": 2}], "pagination": {"total": 2}});
        assert_eq!(Query::new(".items[].name").unwrap().run(page.clone()).unwrap(), [json!("a"), json!("b")]);
        let q = Query::new("[.items[] | select(.n > 1) | {name}]").unwrap();
        assert_eq!(q.run(page).unwrap(), [json!([{"name": "b"}])]);
        assert!(Query::new(".items[").is_err());
        let unknown = Query::new("nosuchfunction").err().expect("an unknown function is refused");
        assert!(unknown.contains("nosuchfunction"), "{unknown}");
        assert!(Query::new(".a + 1").unwrap().run(json!({"a": "x"})).is_err());
    }
}
