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
//!   lam-alef pair (`لا`) as one column where terminals use two;
//! - on a terminal of known width ([`Display::width`]), the widest columns are
//!   narrowed until the table fits, and a cell longer than its column ends in
//!   `…`: cut in logical order, so an Arabic cell keeps its beginning. A pipe
//!   gets every character.

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

    let limits = display
        .width()
        .map(|width| column_limits(headers, rows, width))
        .unwrap_or_default();
    let fit = |i: usize, text: &str| -> String {
        match limits.get(i) {
            Some(&limit) => fitted(text, limit),
            None => text.to_string(),
        }
    };
    if !headers.is_empty() {
        table.set_header(
            (headers.iter().enumerate()).map(|(i, h)| cell(&fit(i, h), display, marks)),
        );
    }
    for row in rows {
        table.add_row((row.iter().enumerate()).map(|(i, c)| cell(&fit(i, c), display, marks)));
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

/// Columns narrower than this are not narrowed further: a table wider than the terminal is better than
/// one with nothing readable in its cells.
const MIN_COLUMN: usize = 8;

/// The widest each column may be for the table to fit in `width` terminal columns: the widest columns
/// narrowed first, one column at a time, none below [`MIN_COLUMN`] (or its own width). Each cell is
/// padded by a column on each side and the cells are joined by `│`, so the rule under the header takes
/// three columns a cell, less one, besides the cells.
fn column_limits(headers: &[&str], rows: &[Vec<String>], width: usize) -> Vec<usize> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    let mut widths = vec![0; columns];
    let lines = |text: &str| text.split('\n').map(terminal_width).max().unwrap_or(0);
    for (i, h) in headers.iter().enumerate() {
        widths[i] = widths[i].max(lines(h));
    }
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(lines(c));
        }
    }
    let frame = (3 * columns).saturating_sub(1);
    let mut total: usize = frame + widths.iter().sum::<usize>();
    while total > width {
        let Some((widest, &w)) = widths
            .iter()
            .enumerate()
            .max_by_key(|&(i, &w)| (w, usize::MAX - i))
        else {
            break;
        };
        if w <= MIN_COLUMN {
            break;
        }
        widths[widest] = w - 1;
        total -= 1;
    }
    widths
}

/// `text` cut to `limit` terminal columns on each of its lines, ending in `…` where something was cut.
fn fitted(text: &str, limit: usize) -> String {
    if text.split('\n').all(|line| terminal_width(line) <= limit) {
        return text.to_string();
    }
    let cut = |line: &str| -> String {
        if terminal_width(line) <= limit {
            return line.to_string();
        }
        let mut out = String::with_capacity(line.len());
        let mut used = 0;
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > limit {
                break;
            }
            used += w;
            out.push(c);
        }
        out.push('…');
        out
    };
    text.split('\n').map(cut).collect::<Vec<_>>().join("\n")
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
    fn a_terminal_table_fits_its_width_and_a_pipe_gets_everything() {
        let arabic = "دخلت قافلة من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال قادمة من العراق";
        let english =
            "A convoy of 17 trucks loaded with weapons entered the city of Al-Bukamal from Iraq";
        let rows = rows(&[&["7", arabic, english, "سبتمبر 2024"]]);
        let headers = ["id", "source", "target", "origin"];
        for mode in [BidiMode::Logical, BidiMode::Visual] {
            let narrow = display(mode, true).with_width(Some(60));
            let out = table(&headers, &rows, &narrow);
            for line in out.lines() {
                assert!(
                    terminal_width(line) <= 60,
                    "{} columns: {line}",
                    terminal_width(line)
                );
            }
            assert_aligned(&out);
            // Cut in logical order: the Arabic keeps its first words, the English its first words.
            let cells = out.lines().nth(2).unwrap();
            let logical = narrow.line("دخلت قافلة");
            assert!(cells.contains(logical.as_ref()), "{cells}");
            assert!(
                cells.contains("A convoy of") && cells.contains('…'),
                "{cells}"
            );
            assert!(!cells.contains("Iraq"), "{cells}");
        }
        // Wide enough, or a pipe: every character.
        let wide = table(
            &headers,
            &rows,
            &display(BidiMode::Logical, true).with_width(Some(400)),
        );
        assert!(wide.contains(arabic) && wide.contains(english) && !wide.contains('…'));
        let piped = display(BidiMode::Logical, false).with_width(Some(60));
        assert_eq!(piped.width(), None);
        let out = table(&headers, &rows, &piped);
        assert!(out.contains(arabic) && out.contains(english));
    }

    #[test]
    fn columns_are_narrowed_widest_first_and_never_below_the_minimum() {
        let rows = vec![vec!["x".repeat(50), "y".repeat(20), "z".to_string()]];
        let limits = column_limits(&["a", "b", "c"], &rows, 3 * 3 - 1 + 40);
        assert_eq!(limits, [19, 20, 1]);
        let limits = column_limits(&["a", "b", "c"], &rows, 10);
        assert_eq!(limits, [MIN_COLUMN, MIN_COLUMN, 1]);
        assert_eq!(
            fitted("حزب الله\nHizbullah Brigades", 9),
            "حزب الله\nHizbulla…"
        );
    }

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
