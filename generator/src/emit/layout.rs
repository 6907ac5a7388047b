//! Line layout for files written as text.
//!
//! Text-written code must read exactly as if `prettyplease` had printed it.
//! A line that fits is what `prettyplease` prints too; one that does not is
//! handed to `prettyplease` itself, nested as deep as it will stand in the
//! file, since where lines break depends on the indentation. What "fits"
//! means is measured from `prettyplease` once per process ([`margin`]),
//! not copied from its source: the layout follows the formatter the
//! workspace locks, whatever its version.

use std::sync::OnceLock;

use crate::error::Error;

/// The widest line `prettyplease` leaves whole: measured by printing a
/// statement of each width (a binary search, a dozen prints, once).
pub(crate) fn margin() -> usize {
    static MARGIN: OnceLock<usize> = OnceLock::new();
    *MARGIN.get_or_init(|| {
        let (mut fits, mut breaks) = (20, 400);
        while breaks - fits > 1 {
            let width = usize::midpoint(fits, breaks);
            if stays_whole(width) { fits = width } else { breaks = width }
        }
        fits
    })
}

/// Whether `prettyplease` prints a statement `width` columns wide (its
/// indent included) on one line.
fn stays_whole(width: usize) -> bool {
    // `    let x = g(aaa…);`: 4 columns of indent and 12 of code around the argument.
    let code = format!("fn f() {{\n    let x = g({});\n}}\n", "a".repeat(width - 16));
    syn::parse_file(&code).is_ok_and(|file| prettyplease::unparse(&file) == code)
}

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
    if 4 * depth + code.len() <= margin() {
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

    /// The measured margin is where `prettyplease` breaks: a line of that
    /// width stays whole, one column more is broken, for a statement and
    /// for a `match` arm (the two a model file lays out by width).
    #[test]
    fn the_measured_margin_is_where_prettyplease_breaks() {
        let m = margin();
        assert!((60..=200).contains(&m), "a margin of {m} columns");
        assert!(stays_whole(m) && !stays_whole(m + 1));
        // `        k => self.a = g(aaa…),`: 8 columns of indent, 18 of code.
        let arm = |width: usize| {
            format!("fn f() {{\n    match x {{\n        k => self.a = g({}),\n    }}\n}}\n", "a".repeat(width - 26))
        };
        let print = |code: &str| prettyplease::unparse(&syn::parse_file(code).expect("parses"));
        assert_eq!(print(&arm(m)), arm(m), "an arm of the margin's width stays whole");
        // Its trailing comma is not counted: prettyplease writes it only
        // when the arm stays whole.
        assert_eq!(print(&arm(m + 1)), arm(m + 1), "an arm one column wider, its comma, stays whole");
        assert_ne!(print(&arm(m + 2)), arm(m + 2), "two columns more are broken");
    }
}
