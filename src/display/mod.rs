//! Showing Arabic text in a terminal.
//!
//! Arabic is stored in *logical* order: the order in which it is typed and
//! read, first letter first. A screen shows it right to left. Some terminals
//! (GNOME Terminal and the other VTE terminals, Konsole, mlterm, macOS
//! Terminal) apply the Unicode bidirectional algorithm themselves and turn
//! logical text around as they draw it. Others (kitty, alacritty, iTerm2,
//! WezTerm, Windows Terminal) draw every character left to right in the order
//! received, so Arabic comes out backwards unless the program sends it in
//! *visual* order, already turned around.
//!
//! Reordering in the program for a terminal that also reorders turns the
//! text around twice, which is as wrong as not reordering at all. And visual
//! text is wrong everywhere else: copied into a document, piped into another
//! tool, or written to JSON, TSV or TMX. So this module makes the decision in
//! one place:
//!
//! - [`BidiMode`] is what the user asked for (`--bidi auto|logical|visual`).
//! - [`Display`] is the resolved policy for this run: does this process
//!   reorder, and may it use colour? [`Display::line`] applies it to a string.
//! - [`bidi::visual_line`] is the reordering itself (Unicode bidi algorithm, with
//!   harakat kept on their letters and brackets mirrored).
//! - [`clean()`] makes text from data safe for a terminal (no escape sequences, no bidi overrides);
//!   [`Display::line`] applies it to everything but data output.
//! - [`table()`] lays rows out as a plain-text table, each cell passed through
//!   [`Display::line`], in a way that keeps adjacent Arabic columns in place
//!   in terminals that reorder by themselves.
//!
//! (The module's tests show each in use.)

pub mod bidi;
pub mod clean;
pub mod table;

pub use bidi::{BidiMode, ColorMode, Display};
pub use clean::clean;
pub use table::table;

#[cfg(test)]
mod overview {
    use super::{table, BidiMode, Display};

    #[test]
    fn reordering_data_and_tables() {
        // A terminal known not to reorder (kitty): the program must do it.
        let display = Display::with_env(BidiMode::Auto, true, false, |name| {
            (name == "KITTY_WINDOW_ID").then(|| "1".to_string())
        });
        assert!(display.reorders());
        assert_eq!(display.line("حزب الله"), "هللا بزح");
        assert_eq!(display.line("Hizbullah"), "Hizbullah"); // borrowed, untouched

        // JSON, TSV and TMX output is never reordered, whatever the flag says.
        let data = Display::with_env(BidiMode::Visual, true, true, |_| None);
        assert_eq!(data.line("حزب الله"), "حزب الله");

        let rows = vec![vec!["حزب الله".to_string(), "Hizbullah".to_string()]];
        let laid_out = table(&["Arabic", "English"], &rows, &display);
        assert!(
            laid_out.contains("Hizbullah") && laid_out.contains("هللا بزح"),
            "{laid_out}"
        );
    }
}
