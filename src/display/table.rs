//! Plain-text tables for the terminal (`tm list`, `tm stats`, ...).
//!
//! Layout is left to comfy-table. This module adds what Arabic needs on top:
//!
//! - every cell goes through [`Display::line`], so it is in visual order
//!   when this run reorders;
//! - every line of every cell is wrapped in LEFT-TO-RIGHT MARKs (U+200E)
//!   when the output goes to a terminal. A terminal that runs the bidi
//!   algorithm treats a whole screen line as one paragraph: without the marks,
//!   two neighbouring Arabic cells and the separator between them form one
//!   right-to-left run, and the cells swap places. With the marks the
//!   separators sit between two strong left-to-right characters and stay
//!   put, and each cell is turned around in its own place;
//! - columns are sized by terminal cells (one per code point, harakat none)
//!   rather than by `unicode-width`'s string width, which counts the Arabic
//!   lam-alef pair (`لا`) as one column where terminals use two.

use comfy_table::{presets, Table, TableComponent};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::bidi::Display;

/// LEFT-TO-RIGHT MARK: invisible, zero width, strongly left-to-right.
const LRM: char = '\u{200E}';

/// A private-use character appended to a cell to make comfy-table reserve
/// the columns its width measure misses, and removed from the finished
/// table. `unicode-width` counts it as one column.
const FILLER: char = '\u{10FFFD}';

/// Lays `rows` out under `headers` as a plain-text table for printing
/// (no trailing newline, no colour, nothing right-aligned):
///
/// ```text
///  Arabic   │ English
/// ──────────┼───────────
///  حزب الله │ Hizbullah
/// ```
///
/// Cells may hold several lines. Rows may be shorter or longer than the
/// header. Direction marks are added only when `display` reorders or writes
/// to a terminal, so text piped into another tool stays clean.
pub fn table(headers: &[&str], rows: &[Vec<String>], display: &Display) -> String {
    let marks = display.reorders() || display.is_terminal();

    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_style(TableComponent::VerticalLines, '│')
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '┼')
        // Never let comfy-table decide anything from the real terminal:
        // the output depends only on the arguments.
        .force_no_tty();

    if !headers.is_empty() {
        table.set_header(headers.iter().map(|h| cell(h, display, marks)));
    }
    for row in rows {
        table.add_row(row.iter().map(|c| cell(c, display, marks)));
    }

    table
        .lines()
        .map(|line| {
            let line: String = line.chars().filter(|&c| c != FILLER).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One cell's text as handed to comfy-table: in display order, each line
/// wrapped in marks if `marks`, and padded for comfy-table's width measure.
fn cell(text: &str, display: &Display, marks: bool) -> String {
    text.split('\n')
        .map(|line| cell_line(&display.line(line), marks))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of a cell, prepared as described in [`cell`].
fn cell_line(line: &str, marks: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if marks {
        out.push(LRM);
    }
    // A tab or carriage return would move the cursor and break the columns.
    out.extend(
        line.chars()
            .filter(|&c| c != FILLER)
            .map(|c| if c.is_control() { ' ' } else { c }),
    );
    if marks {
        out.push(LRM);
    }
    // comfy-table pads by `str::width`, which merges lam + alef into one
    // column; the terminal gives each its own cell. Make up the difference
    // with fillers that are counted now and deleted after layout.
    let shortfall = terminal_width(&out).saturating_sub(out.width());
    out.extend(std::iter::repeat_n(FILLER, shortfall));
    out
}

/// Columns a terminal advances for `s`: the sum of each code point's width,
/// as terminals (wcwidth) count. Marks and harakat take none.
fn terminal_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display::BidiMode;
    use proptest::prelude::*;

    fn display(mode: BidiMode, terminal: bool) -> Display {
        Display::with_env(mode, terminal, false, |_| None)
    }

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// Terminal column at which each `│` of `line` is drawn.
    fn separator_columns(line: &str) -> Vec<usize> {
        let mut col = 0;
        let mut found = Vec::new();
        for c in line.chars() {
            if c == '│' || c == '┼' {
                found.push(col);
            }
            col += c.width().unwrap_or(0);
        }
        found
    }

    /// Every line puts its column separators in the same terminal columns.
    fn assert_aligned(out: &str) {
        let mut lines = out.lines();
        let first = separator_columns(lines.next().expect("a table has lines"));
        for line in lines {
            assert_eq!(
                separator_columns(line),
                first,
                "misaligned line {line:?} in\n{out}"
            );
        }
    }

    // ----- facts about the width crate this module relies on or works around -----

    #[test]
    fn lrm_takes_no_column_for_comfy_table() {
        // comfy-table measures with unicode-width's `str::width`.
        assert_eq!(LRM.width(), Some(0));
        assert_eq!("\u{200E}حزب\u{200E}".width(), 3);
        assert_eq!(FILLER.width(), Some(1));
    }

    #[test]
    fn unicode_width_merges_lam_alef_but_terminals_do_not() {
        assert_eq!("لا".width(), 1); // lam + alef: counted as a ligature
        assert_eq!(terminal_width("لا"), 2); // a terminal uses two cells
        assert_eq!("ال".width(), 2); // alef + lam: no ligature
                                     // So reordering changes the measure: الله has no lam-alef, its visual
                                     // form هللا does.
        assert_eq!("الله".width(), 4);
        assert_eq!("هللا".width(), 3);
        // Harakat take no column in either measure.
        assert_eq!("مُحَمَّد".width(), 4);
        assert_eq!(terminal_width("مُحَمَّد"), 4);
    }

    // ----- layout -----

    #[test]
    fn piped_logical_table_has_no_marks() {
        let out = table(
            &["Arabic", "English"],
            &rows(&[&["حزب الله", "Hizbullah"], &["عام 2024", "year 2024"]]),
            &display(BidiMode::Auto, false),
        );
        let expected = [
            " Arabic   │ English",
            "──────────┼───────────",
            " حزب الله │ Hizbullah",
            " عام 2024 │ year 2024",
        ]
        .join("\n");
        assert_eq!(out, expected);
        assert!(!out.contains(LRM) && !out.contains(FILLER));
    }

    #[test]
    fn terminal_table_wraps_each_cell_in_marks() {
        // A terminal that reorders by itself: logical text, with marks.
        let out = table(
            &["Arabic", "Arabic"],
            &rows(&[&["حزب الله", "قيس الخزعلي"]]),
            &display(BidiMode::Logical, true),
        );
        let m = LRM;
        let expected = [
            format!(" {m}Arabic{m}   │ {m}Arabic{m}"),
            "──────────┼─────────────".to_string(),
            format!(" {m}حزب الله{m} │ {m}قيس الخزعلي{m}"),
        ]
        .join("\n");
        assert_eq!(out, expected);
        assert_aligned(&out);
    }

    #[test]
    fn reordering_table_shows_visual_cells() {
        // kitty-like terminal: cells arrive in visual order, marks included.
        let out = table(
            &["Arabic", "English"],
            &rows(&[&["حزب الله", "Hizbullah"], &["عام 2024", "year 2024"]]),
            &display(BidiMode::Visual, false),
        );
        let m = LRM;
        let expected = [
            format!(" {m}Arabic{m}   │ {m}English{m}"),
            "──────────┼───────────".to_string(),
            format!(" {m}هللا بزح{m} │ {m}Hizbullah{m}"),
            format!(" {m}2024 ماع{m} │ {m}year 2024{m}"),
        ]
        .join("\n");
        assert_eq!(out, expected);
        assert_aligned(&out);
    }

    #[test]
    fn lam_alef_does_not_break_columns() {
        let data = rows(&[
            &["لا", "no"],
            &["السلام عليكم", "peace be upon you"],
            &["حزب الله", "Hizbullah"],
            &["x", "y"],
        ]);
        for (mode, terminal) in [
            (BidiMode::Logical, false),
            (BidiMode::Logical, true),
            (BidiMode::Visual, true),
        ] {
            let out = table(&["Arabic", "English"], &data, &display(mode, terminal));
            assert_aligned(&out);
            assert!(!out.contains(FILLER));
        }
    }

    #[test]
    fn multi_line_cells_are_marked_line_by_line() {
        let out = table(
            &["Arabic"],
            &rows(&[&["حزب\nالله"]]),
            &display(BidiMode::Visual, true),
        );
        let m = LRM;
        let expected = [
            format!(" {m}Arabic{m}"),
            "────────".to_string(),
            format!(" {m}بزح{m}"),
            format!(" {m}هللا{m}"),
        ]
        .join("\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn controls_in_cells_become_spaces() {
        let out = table(
            &[],
            &rows(&[&["a\tb", "c"]]),
            &display(BidiMode::Logical, false),
        );
        assert_eq!(out, " a b │ c");
    }

    /// A cell made of pieces that stress the layout: lam-alef pairs,
    /// harakat, marks, tabs, newlines, empty strings.
    fn cell_text() -> impl Strategy<Value = String> {
        let arabic = ["لا", "الله", "حزب", "مُحَمَّد", "إنَّ", "لأن"];
        let other = [
            "Hizb", "2024", "(", ")", " ", "\n", "\t", "\u{200E}", "\u{200F}", "", "x",
        ];
        let piece = prop::sample::select([&arabic[..], &other[..]].concat());
        prop::collection::vec(piece, 0..6).prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn columns_line_up_whatever_the_text(
            row in prop::collection::vec(cell_text(), 1..4),
            mode in prop::sample::select(vec![BidiMode::Logical, BidiMode::Visual]),
            terminal in any::<bool>(),
        ) {
            let rows = vec![row.clone(), row];
            let out = table(&["Arabic", "English"], &rows, &display(mode, terminal));
            assert_aligned(&out);
            prop_assert!(!out.contains(FILLER));
        }
    }

    #[test]
    fn empty_table_is_empty() {
        assert_eq!(table(&[], &[], &display(BidiMode::Logical, false)), "");
    }
}
