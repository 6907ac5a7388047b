//! The API change report: what changed between two documents, in terms of
//! the generated crate, and which part of its version must be bumped.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::ir::{Api, Field, Model, ModelKind, Operation, Param, Presence, ResponseKind, Type};

/// One change to the generated crate's public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of item: `operation` or `model`.
    pub item: &'static str,
    /// Its Rust path (`users::list_users`, `models::User`).
    pub name: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What changed, one line each (for `Changed`), or where it lives.
    pub details: Vec<String>,
    /// Whether code using the old crate may stop compiling.
    pub breaking: bool,
}

/// Kinds of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// New in the new document.
    Added,
    /// Gone from the new document.
    Removed,
    /// In both, different.
    Changed,
}

/// Which part of a version to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// The document changed, but not the generated API.
    Patch,
    /// Only additions.
    Minor,
    /// Something breaks.
    Major,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct Report {
    /// `info.version` of the old document.
    pub old_version: String,
    /// `info.version` of the new document.
    pub new_version: String,
    /// Changes, operations first, then models, each sorted by name.
    pub changes: Vec<Change>,
}

/// Compares two modelled APIs.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    let ops = |api: &Api| -> BTreeMap<String, Operation> {
        api.tags
            .iter()
            .flat_map(|t| t.operations.iter().map(move |o| (format!("{}::{}", t.module, o.fn_name), o.clone())))
            .collect()
    };
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (name, op) in &old_ops {
        match new_ops.get(name) {
            None => changes.push(change("operation", name, ChangeKind::Removed, vec![route(op)], true)),
            Some(new_op) => {
                let (details, breaking) = compare_ops(op, new_op);
                if !details.is_empty() {
                    changes.push(change("operation", name, ChangeKind::Changed, details, breaking));
                }
            }
        }
    }
    for (name, op) in &new_ops {
        if !old_ops.contains_key(name) {
            changes.push(change("operation", name, ChangeKind::Added, vec![route(op)], false));
        }
    }
    let models =
        |api: &Api| -> BTreeMap<String, Model> { api.models.iter().map(|m| (m.name.clone(), m.clone())).collect() };
    let (old_models, new_models) = (models(old), models(new));
    for (name, m) in &old_models {
        let path = format!("models::{name}");
        match new_models.get(name) {
            None => changes.push(change("model", &path, ChangeKind::Removed, vec![], true)),
            Some(new_m) => {
                let (details, breaking) = compare_models(m, new_m);
                if !details.is_empty() {
                    changes.push(change("model", &path, ChangeKind::Changed, details, breaking));
                }
            }
        }
    }
    for name in new_models.keys() {
        if !old_models.contains_key(name) {
            changes.push(change("model", &format!("models::{name}"), ChangeKind::Added, vec![], false));
        }
    }
    changes.sort_by(|a, b| (a.item != "operation", &a.name).cmp(&(b.item != "operation", &b.name)));
    Report { old_version: old.version.clone(), new_version: new.version.clone(), changes }
}

fn change(item: &'static str, name: &str, kind: ChangeKind, details: Vec<String>, breaking: bool) -> Change {
    Change { item, name: name.to_owned(), kind, details, breaking }
}

fn route(op: &Operation) -> String {
    format!("`{} {}`", op.method, op.path)
}

fn response_name(r: &ResponseKind) -> String {
    match r {
        ResponseKind::Json(t) => Type::display_name(t),
        ResponseKind::Text => "String".into(),
        ResponseKind::Bytes => "Bytes".into(),
        ResponseKind::Empty => "()".into(),
        ResponseKind::Stream(stream) => {
            format!("Stream<{}>", stream.message.as_ref().map_or_else(|| "String".to_owned(), Type::display_name))
        }
    }
}

fn compare_ops(old: &Operation, new: &Operation) -> (Vec<String>, bool) {
    let mut details = Vec::new();
    let mut breaking = false;
    let mut note = |text: String, breaks: bool| {
        breaking |= breaks;
        details.push(if breaks { format!("{text} (breaking)") } else { text });
    };
    if (&old.method, &old.path) != (&new.method, &new.path) {
        note(format!("route {} -> {}", route(old), route(new)), false);
    }
    let params = |op: &Operation| -> BTreeMap<(&'static str, String), Param> {
        let tagged = |kind: &'static str, ps: &[Param]| {
            ps.iter().map(move |p| ((kind, p.wire_name.clone()), p.clone())).collect::<Vec<_>>()
        };
        tagged("path", &op.path_params)
            .into_iter()
            .chain(tagged("query", &op.query_params))
            .chain(tagged("header", &op.header_params))
            .collect()
    };
    let (old_p, new_p) = (params(old), params(new));
    for ((kind, name), p) in &old_p {
        match new_p.get(&(kind, name.clone())) {
            None => note(format!("{kind} parameter `{name}` removed"), true),
            Some(q) => {
                if p.ty != q.ty {
                    note(
                        format!(
                            "{kind} parameter `{name}`: {} -> {}",
                            Type::display_name(&p.ty),
                            Type::display_name(&q.ty)
                        ),
                        true,
                    );
                }
                if p.required != q.required {
                    let now = if q.required { "required" } else { "optional" };
                    note(format!("{kind} parameter `{name}` is now {now}"), true);
                }
            }
        }
    }
    for ((kind, name), q) in &new_p {
        if !old_p.contains_key(&(kind, name.clone())) {
            let what = if q.required { "required" } else { "optional" };
            note(format!("new {what} {kind} parameter `{name}` ({})", Type::display_name(&q.ty)), q.required);
        }
    }
    if old.path_params.iter().map(|p| &p.wire_name).ne(new.path_params.iter().map(|p| &p.wire_name)) {
        note("path parameters reordered".into(), true);
    }
    let body = |op: &Operation| op.body.as_ref().map(|b| Type::display_name(&b.ty));
    if body(old) != body(new) {
        let show = |b: Option<String>| b.unwrap_or_else(|| "none".into());
        note(format!("request body {} -> {}", show(body(old)), show(body(new))), true);
    }
    if old.response != new.response {
        note(format!("response {} -> {}", response_name(&old.response), response_name(&new.response)), true);
    }
    // Optional parameters travel in one `params` argument, which the method
    // gains with the first of them and loses with the last.
    match (&old.params_struct, &new.params_struct) {
        (None, Some(s)) => note(format!("new `params: &{s}` argument"), true),
        (Some(s), None) => note(format!("`params: &{s}` argument removed"), true),
        _ => {}
    }
    // The `_pages` helper comes with the page/pageSize/pagination shape.
    match (&old.paging, &new.paging) {
        (None, Some(_)) => note(format!("new `{}_pages` helper", new.fn_name), false),
        (Some(_), None) => note(format!("`{}_pages` helper removed", old.fn_name), true),
        _ => {}
    }
    if !old.deprecated && new.deprecated {
        note("now deprecated".into(), false);
    }
    (details, breaking)
}

fn field_type(f: &Field) -> String {
    let t = Type::display_name(&f.ty);
    if f.presence == Presence::Optional { format!("Option<{t}>") } else { t }
}

fn compare_models(old: &Model, new: &Model) -> (Vec<String>, bool) {
    let mut details = Vec::new();
    let mut breaking = false;
    let mut note = |text: String, breaks: bool| {
        breaking |= breaks;
        details.push(if breaks { format!("{text} (breaking)") } else { text });
    };
    match (&old.kind, &new.kind) {
        (ModelKind::Struct { fields: a, additional: xa }, ModelKind::Struct { fields: b, additional: xb }) => {
            let by_wire =
                |fs: &[Field]| fs.iter().map(|f| (f.wire_name.clone(), f.clone())).collect::<BTreeMap<_, _>>();
            let (fa, fb) = (by_wire(a), by_wire(b));
            for (wire, f) in &fa {
                match fb.get(wire) {
                    None => note(format!("field `{}` removed", f.rust_name), true),
                    Some(g) => {
                        if field_type(f) != field_type(g) || f.boxed != g.boxed {
                            note(format!("field `{}`: {} -> {}", f.rust_name, field_type(f), field_type(g)), true);
                        } else if f.rust_name != g.rust_name {
                            note(format!("field `{}` renamed to `{}`", f.rust_name, g.rust_name), true);
                        }
                    }
                }
            }
            for (wire, g) in &fb {
                if !fa.contains_key(wire) {
                    // Structs are `non_exhaustive`: no user code names every
                    // field, so a new one, even a required one, compiles.
                    let what = if g.presence == Presence::Required { "new required field" } else { "new field" };
                    note(format!("{what} `{}` ({})", g.rust_name, field_type(g)), false);
                }
            }
            match (xa, xb) {
                (None, Some(_)) => note("new field `additional_properties`".into(), false),
                (Some(_), None) => note("field `additional_properties` removed".into(), true),
                (a, b) if a != b => note("additional properties' type changed".into(), true),
                _ => {}
            }
            // Sent models have setters (emit/models.rs); they go with it.
            if old.wire.sent && !new.wire.sent && !a.is_empty() {
                note("no longer sent: its setters are gone".into(), true);
            }
        }
        (ModelKind::Enum { variants: a, .. }, ModelKind::Enum { variants: b, .. }) => {
            for v in a.iter().filter(|v| !b.iter().any(|w| w.wire == v.wire)) {
                note(format!("enum value `{}` removed", v.wire), true);
            }
            for v in b.iter().filter(|v| !a.iter().any(|w| w.wire == v.wire)) {
                note(format!("new enum value `{}`", v.wire), false);
            }
        }
        (ModelKind::Alias(a), ModelKind::Alias(b)) => {
            if a != b {
                note(format!("{} -> {}", Type::display_name(a), Type::display_name(b)), true);
            }
        }
        (ModelKind::OneOf { variants: a, .. }, ModelKind::OneOf { variants: b, .. }) => {
            let show = |vs: &[(String, Type)]| {
                vs.iter().map(|(n, t)| format!("{n}({})", Type::display_name(t))).collect::<Vec<_>>().join(" | ")
            };
            if a != b {
                note(format!("alternatives {} -> {}", show(a), show(b)), true);
            }
        }
        _ => note("changed kind (struct, enum, alias or one-of)".into(), true),
    }
    (details, breaking)
}

impl Report {
    /// Which part of the version to bump.
    pub fn bump(&self) -> Bump {
        if self.changes.iter().any(|c| c.breaking) {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::Patch
        } else {
            Bump::Minor
        }
    }

    /// The report as Markdown, for a pull request description.
    pub fn markdown(&self, crate_name: &str, old_crate: &str) -> String {
        let mut out = String::new();
        let new_crate = bump_version(old_crate, self.bump());
        let breaking = self.changes.iter().filter(|c| c.breaking).count();
        let _ = writeln!(out, "## API changes: {} -> {}\n", self.old_version, self.new_version);
        let _ = writeln!(
            out,
            "`{crate_name}` {old_crate} -> **{new_crate}** ({} bump): {} changes, {breaking} breaking.\n",
            match self.bump() {
                Bump::Major => "major",
                Bump::Minor => "minor",
                Bump::Patch => "patch",
            },
            self.changes.len()
        );
        for (item, title) in [("operation", "Operations"), ("model", "Models")] {
            let of_item: Vec<&Change> = self.changes.iter().filter(|c| c.item == item).collect();
            if of_item.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n");
            for kind in [ChangeKind::Removed, ChangeKind::Changed, ChangeKind::Added] {
                for c in of_item.iter().filter(|c| c.kind == kind) {
                    let label = match kind {
                        ChangeKind::Added => "Added",
                        ChangeKind::Removed => "Removed",
                        ChangeKind::Changed => "Changed",
                    };
                    let mark = if c.breaking { " **(breaking)**" } else { "" };
                    let whereis = if kind != ChangeKind::Changed && !c.details.is_empty() {
                        format!(" {}", c.details.join(", "))
                    } else {
                        String::new()
                    };
                    let _ = writeln!(out, "- {label} `{}`{whereis}{mark}", c.name);
                    if kind == ChangeKind::Changed {
                        for d in &c.details {
                            let _ = writeln!(out, "  - {d}");
                        }
                    }
                }
            }
            out.push('\n');
        }
        if self.changes.is_empty() {
            out.push_str("No change to the generated API.\n");
        }
        out
    }

    /// One line for the generator's summary.
    pub fn summary(&self) -> String {
        let count = |k: ChangeKind| self.changes.iter().filter(|c| c.kind == k).count();
        format!(
            "API {} -> {}: {} added, {} removed, {} changed ({} breaking)",
            self.old_version,
            self.new_version,
            count(ChangeKind::Added),
            count(ChangeKind::Removed),
            count(ChangeKind::Changed),
            self.changes.iter().filter(|c| c.breaking).count()
        )
    }
}

/// Applies a bump with Cargo's rules for 0.x versions (where the minor part
/// is the breaking one): `0.1.3` + major -> `0.2.0`, + minor -> `0.1.4`.
pub fn bump_version(version: &str, bump: Bump) -> String {
    let mut parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    let (major, minor, patch) = (parts[0], parts[1], parts[2]);
    match (bump, major) {
        (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        (Bump::Major, 0) => format!("0.{}.0", minor + 1),
        (Bump::Major, _) => format!("{}.0.0", major + 1),
        (Bump::Minor, 0) => format!("0.{minor}.{}", patch + 1),
        (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_cargo_rules() {
        assert_eq!(bump_version("0.1.3", Bump::Major), "0.2.0");
        assert_eq!(bump_version("0.1.3", Bump::Minor), "0.1.4");
        assert_eq!(bump_version("1.4.2", Bump::Major), "2.0.0");
        assert_eq!(bump_version("1.4.2", Bump::Minor), "1.5.0");
        assert_eq!(bump_version("1.4.2", Bump::Patch), "1.4.3");
    }
}
