//! Line layout for files written as text.
//!
//! Text-written code must read exactly as if `prettyplease` had printed it.
//! A line that fits is what `prettyplease` prints too; one that does not is
//! handed to `prettyplease` itself, nested as deep as it will stand in the
//! file, since where lines break depends on the indentation.

use crate::error::Error;

/// `prettyplease`'s margin: a line this long or shorter is never broken.
pub(crate) const MARGIN: usize = 89;

/// What a line of code is, which decides how deep it stands and how
/// prettyplease would break it.
#[derive(Clone, Copy)]
pub(crate) enum LineKind {
    /// A statement in a function body.
    Statement,
    /// An arm of a `match`.
    Arm,
    /// A field of a struct.
    Field,
    /// An item inside an `impl` (a `const`, say).
    ImplItem,
    /// A top-level item.
    Item,
}

/// Appends `code` at `depth` levels of indentation, broken where
/// `prettyplease` would break it.
pub(crate) fn put(out: &mut String, place: LineKind, depth: usize, code: &str) -> Result<(), Error> {
    if 4 * depth + code.len() <= MARGIN {
        for _ in 0..depth {
            out.push_str("    ");
        }
        out.push_str(code);
        out.push('\n');
        return Ok(());
    }
    // The wrappers that put `code` at `depth`: one line each before and
    // after it once printed.
    let inner: &[&str] = match place {
        LineKind::Statement => &["fn f() {"],
        LineKind::Arm => &["fn f() {", "match x {"],
        LineKind::Field => &["struct S {"],
        LineKind::ImplItem => &["impl S {"],
        LineKind::Item => &[],
    };
    let modules = depth.checked_sub(inner.len()).ok_or_else(|| internal(code))?;
    let mut source = "mod m {".repeat(modules);
    for w in inner {
        source.push_str(w);
    }
    source.push_str(code);
    source.push_str(&"}".repeat(modules + inner.len()));
    let file = syn::parse_file(&source).map_err(|_| internal(code))?;
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.lines().collect();
    let wrappers = modules + inner.len();
    if lines.len() < 2 * wrappers + 1 {
        return Err(internal(code));
    }
    for line in &lines[wrappers..lines.len() - wrappers] {
        out.push_str(line);
        out.push('\n');
    }
    Ok(())
}

/// Appends the first line(s) of a top-level `impl` block: `header {`.
pub(crate) fn impl_header(out: &mut String, header: &str) -> Result<(), Error> {
    open_block(out, LineKind::Item, 0, header)
}

/// Appends the first line(s) of a block that opens at `place` and `depth`
/// (an `impl`, a method): `header {`, broken as `prettyplease` breaks it.
pub(crate) fn open_block(out: &mut String, place: LineKind, depth: usize, header: &str) -> Result<(), Error> {
    let mut block = String::new();
    put(&mut block, place, depth, &format!("{header} {{}}"))?;
    let opened = block.strip_suffix("{}\n").ok_or_else(|| internal(header))?;
    out.push_str(opened);
    out.push_str("{\n");
    Ok(())
}

fn internal(code: &str) -> Error {
    Error::internal(format!("generated code does not parse: {code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_stay_and_long_ones_break_as_prettyplease_breaks_them() {
        let mut out = String::new();
        put(&mut out, LineKind::Statement, 2, "out.end()").expect("lays out");
        let long = "out.nonzero(\"aVeryLongPropertyNameIndeed\", &crate::codec::Int64(&self.a_very_long_property_name_indeed))?;";
        put(&mut out, LineKind::Statement, 2, long).expect("lays out");
        let arm = "\"aVeryLongPropertyNameIndeed\" => self.a_very_long_property_name_indeed = map.next_value()?,";
        put(&mut out, LineKind::Arm, 3, arm).expect("lays out");
        impl_header(
            &mut out,
            "impl<'de> serde::Deserialize<'de> for AnAlmostUnreasonablyLongModelNameThatGoesOnAndOnAndOn",
        )
        .expect("lays out");
        assert_eq!(
            out,
            concat!(
                "        out.end()\n",
                "        out.nonzero(\n",
                "            \"aVeryLongPropertyNameIndeed\",\n",
                "            &crate::codec::Int64(&self.a_very_long_property_name_indeed),\n",
                "        )?;\n",
                "            \"aVeryLongPropertyNameIndeed\" => {\n",
                "                self.a_very_long_property_name_indeed = map.next_value()?;\n",
                "            }\n",
                "impl<'de> serde::Deserialize<'de>\n",
                "for AnAlmostUnreasonablyLongModelNameThatGoesOnAndOnAndOn {\n",
            )
        );
    }

    /// `MARGIN` copies a private constant of `prettyplease` (pinned to one
    /// version in the workspace manifest): this fails when a new version
    /// moves it, before any output changes.
    #[test]
    fn prettyplease_keeps_a_line_of_margin_columns_and_breaks_a_longer_one() {
        let line = |width: usize| {
            // `fn f() {` + 4 spaces of indent + `let x = g(` + arguments + `);`
            let arg = "a".repeat(width - 4 - "let x = g();".len());
            format!("fn f() {{\n    let x = g({arg});\n}}\n")
        };
        let print = |code: &str| prettyplease::unparse(&syn::parse_file(code).expect("parses"));
        let fits = line(MARGIN);
        assert_eq!(print(&fits), fits, "a line of exactly MARGIN columns stays whole");
        let longer = line(MARGIN + 1);
        assert_ne!(print(&longer), longer, "a line one column longer is broken");
    }
}
