//! When and how to reorder right-to-left text for the terminal.
//!
//! [`BidiMode`] is the user's choice, [`Display`] the policy resolved from
//! that choice and the environment, and [`visual_line`] the reordering.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use super::clean::clean;
use unicode_bidi::{bidi_class, BidiClass, BidiInfo};
use unicode_segmentation::UnicodeSegmentation;

/// How right-to-left text is written to the terminal, as asked for by the
/// user (`--bidi`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidiMode {
    /// Reorder only for a terminal known not to do it itself; keep logical
    /// order for everything else (pipes, files, unknown terminals).
    Auto,
    /// Never reorder. Right for terminals that apply the bidi algorithm and
    /// for anything that will be copied or processed further.
    Logical,
    /// Always reorder human-readable output, terminal or not. Data formats
    /// (JSON, TSV, TMX) still stay logical.
    Visual,
}

/// When colour is written (`--color`): `Auto` on a terminal that is not `TERM=dumb` and without
/// `NO_COLOR`; `Always` also into a pipe (for `less -R`), but never into data output; `Never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

impl BidiMode {
    /// Every mode with its command-line name, in the order shown in help and
    /// error messages.
    const NAMES: [(&'static str, BidiMode); 3] = [
        ("auto", BidiMode::Auto),
        ("logical", BidiMode::Logical),
        ("visual", BidiMode::Visual),
    ];

    fn name(self) -> &'static str {
        match self {
            BidiMode::Auto => "auto",
            BidiMode::Logical => "logical",
            BidiMode::Visual => "visual",
        }
    }
}

impl FromStr for BidiMode {
    type Err = String;

    /// Parses the command-line spelling (`auto`, `logical`, `visual`; case is
    /// ignored). The error names the choices so the user can fix the typo.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|&(_, mode)| mode)
            .ok_or_else(|| {
                format!("unknown bidi mode {s:?}: expected one of auto, logical, visual")
            })
    }
}

impl fmt::Display for BidiMode {
    /// Writes the command-line spelling, so `to_string` and `parse` round-trip.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The display policy for this run: whether strings are reordered before
/// printing and whether colour may be used.
///
/// Build it once at start-up with [`Display::new`] and pass it to whatever
/// prints. Tests use [`Display::with_env`] to supply a fake environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Display {
    /// Turn right-to-left text into visual order before printing.
    reorder: bool,
    /// Colour escapes are allowed.
    color: bool,
    /// Standard output is a terminal (so invisible direction marks can help
    /// it, and cannot confuse a program reading a pipe).
    terminal: bool,
    /// The output is a data format (JSON, TSV, TMX): its text stays exact.
    data: bool,
    /// The terminal's width in columns, when output goes to one: tables are fitted to it. Never set
    /// for a pipe, whose reader gets every character.
    width: Option<usize>,
}

/// What is known about how the terminal treats right-to-left text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TerminalBidi {
    /// The terminal runs the bidi algorithm: send logical order.
    ReordersItself,
    /// The terminal draws characters in the order received: send visual order.
    DrawsAsReceived,
    /// No idea. Logical order is the safe guess: it stays correct text when
    /// copied, even if it looks backwards on screen.
    Unknown,
}

/// Recognises the terminal from the variables it sets in its children.
///
/// These variables are inherited, so a kitty started from a GNOME Terminal
/// shell still has `VTE_VERSION`. When the signs disagree, the answer is
/// [`TerminalBidi::Unknown`], because reordering wrongly is worse than not
/// reordering.
fn detect_terminal(env: &impl Fn(&str) -> Option<String>) -> TerminalBidi {
    let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();

    // Measured: these reorder Arabic themselves.
    let reorders_itself = set("VTE_VERSION") // GNOME Terminal, Tilix, Terminator, ...
        || set("KONSOLE_VERSION")
        || set("MLTERM")
        || program == "Apple_Terminal";

    // Measured: these draw Arabic in the order received.
    let draws_as_received = set("KITTY_WINDOW_ID")
        || term == "xterm-kitty"
        || set("ALACRITTY_SOCKET")
        || set("ALACRITTY_WINDOW_ID")
        || term == "alacritty"
        || program == "iTerm.app"
        || program == "WezTerm"
        || set("WT_SESSION"); // Windows Terminal

    match (reorders_itself, draws_as_received) {
        (true, false) => TerminalBidi::ReordersItself,
        (false, true) => TerminalBidi::DrawsAsReceived,
        _ => TerminalBidi::Unknown,
    }
}

impl Display {
    /// Resolves the policy from the user's `mode`, whether standard output is
    /// a terminal, whether this command writes a data format (JSON, TSV,
    /// TMX), and the real process environment.
    ///
    /// `stdout_is_terminal` is a parameter rather than looked up here so the
    /// caller decides which stream is meant (usually
    /// `std::io::stdout().is_terminal()`).
    pub fn new(mode: BidiMode, stdout_is_terminal: bool, data_output: bool) -> Display {
        Self::with_env(mode, stdout_is_terminal, data_output, |name| {
            // var_os, not var: a NO_COLOR that is set but not UTF-8 still counts.
            std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
        })
    }

    /// Like [`Display::new`], with the environment supplied by `env` (name to
    /// value, `None` when unset), so the rules can be tested.
    ///
    /// - `Logical` never reorders.
    /// - `Visual` reorders unless `data_output`: data must stay logical.
    /// - `Auto` reorders only for a terminal known to draw characters in the
    ///   order received, and never for data output or a pipe.
    /// - Colour only for a terminal, not for data output, and not when
    ///   `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn with_env(
        mode: BidiMode,
        stdout_is_terminal: bool,
        data_output: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> Display {
        let reorder = !data_output
            && match mode {
                BidiMode::Logical => false,
                BidiMode::Visual => true,
                BidiMode::Auto => {
                    stdout_is_terminal && detect_terminal(&env) == TerminalBidi::DrawsAsReceived
                }
            };
        let no_color = env("NO_COLOR").is_some_and(|value| !value.is_empty())
            || env("TERM").is_some_and(|term| term == "dumb");
        Display {
            reorder,
            color: stdout_is_terminal && !data_output && !no_color,
            terminal: stdout_is_terminal,
            data: data_output,
            width: None,
        }
    }

    /// The colour rule with the user's `--color` on top.
    /// The display with tables fitted to `width` columns (a terminal's width; `None`: no limit).
    /// Ignored unless output goes to a terminal and is not a data format.
    pub fn with_width(mut self, width: Option<usize>) -> Display {
        self.width = width.filter(|_| self.terminal && !self.data);
        self
    }

    /// The columns a table may take, if output goes to a terminal of known width.
    pub fn width(&self) -> Option<usize> {
        self.width
    }

    pub fn with_color(mut self, mode: ColorMode) -> Display {
        self.color = match mode {
            ColorMode::Auto => self.color,
            ColorMode::Always => !self.data,
            ColorMode::Never => false,
        };
        self
    }

    /// Whether right-to-left text is turned into visual order before printing.
    pub fn reorders(&self) -> bool {
        self.reorder
    }

    /// Whether colour escapes may be written.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Whether standard output is a terminal. Invisible direction marks are
    /// only added for a terminal (or when reordering), never for a pipe.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// `s` from data as it should be printed for a person: [`clean`]ed of
    /// escape sequences and bidi overrides (unless the output is a data
    /// format, whose text stays exact), and in visual order when this display
    /// reorders.
    ///
    /// A clean string without right-to-left text comes back borrowed, with no
    /// allocation, so calling this on every English string costs little.
    ///
    /// [`clean`]: super::clean()
    pub fn line<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let cleaned = if self.data {
            Cow::Borrowed(s)
        } else {
            clean(s)
        };
        match cleaned {
            Cow::Borrowed(s) => self.reordered(s),
            Cow::Owned(s) => Cow::Owned(self.reordered(&s).into_owned()),
        }
    }

    /// Text this tool assembled from pieces already passed through
    /// [`clean`](super::clean()), with escapes of its own (colour): in visual
    /// order when this display reorders, otherwise unchanged.
    pub fn reordered<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.reorder && has_right_to_left(s) {
            Cow::Owned(visual_line(s))
        } else {
            Cow::Borrowed(s)
        }
    }
}

/// Whether the bidi algorithm could turn any part of `s` around: it has a
/// right-to-left letter (Hebrew, Arabic, ...) or a control that starts a
/// right-to-left embedding, override or isolate.
fn has_right_to_left(s: &str) -> bool {
    !s.is_ascii()
        && s.chars().any(|c| {
            matches!(
                bidi_class(c),
                BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
            )
        })
}

/// The invisible characters that only steer the bidi algorithm: marks,
/// embeddings, overrides and isolates. They have done their work once the
/// text is in visual order, and a terminal that does not run the algorithm
/// may draw them as boxes, so [`visual_line`] drops them.
///
/// Zero-width joiner and non-joiner are not among them: they change how
/// Arabic letters join.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' // ARABIC LETTER MARK
        | '\u{200E}' // LEFT-TO-RIGHT MARK
        | '\u{200F}' // RIGHT-TO-LEFT MARK
        | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
        | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
    )
}

/// The glyph that shows `c` facing the other way, for characters with the
/// Unicode Bidi_Mirrored property (rule L4: in right-to-left text an opening
/// parenthesis must look like `)` on a left-to-right screen).
///
/// `unicode-bidi` does not do this. The list covers brackets, quotation
/// guillemets and comparison signs that occur in news text, not every
/// mirrored mathematical symbol.
fn mirror(c: char) -> char {
    const PAIRS: &[(char, char)] = &[
        ('(', ')'),
        ('[', ']'),
        ('{', '}'),
        ('<', '>'),
        ('«', '»'),
        ('‹', '›'),
        ('≤', '≥'),
        ('≪', '≫'),
        ('⁅', '⁆'), // square bracket with quill
        ('⁽', '⁾'), // superscript parentheses
        ('₍', '₎'), // subscript parentheses
        ('⌈', '⌉'),
        ('⌊', '⌋'),
        ('\u{2329}', '\u{232A}'), // angle brackets (canonically equivalent to U+3008/9)
        ('⟨', '⟩'),
        ('⟦', '⟧'),
        ('⟪', '⟫'),
        ('⟮', '⟯'),
        ('〈', '〉'), // U+3008, U+3009
        ('《', '》'),
        ('「', '」'),
        ('『', '』'),
        ('【', '】'),
        ('〔', '〕'),
        ('〖', '〗'),
        ('〘', '〙'),
        ('〚', '〛'),
        ('﹙', '﹚'),
        ('﹛', '﹜'),
        ('﹝', '﹞'),
        ('﹤', '﹥'),
        ('（', '）'),
        ('［', '］'),
        ('｛', '｝'),
        ('＜', '＞'),
        ('｢', '｣'),
    ];
    for &(left, right) in PAIRS {
        if c == left {
            return right;
        }
        if c == right {
            return left;
        }
    }
    c
}

/// Reorders text from logical order (as stored and typed) into visual order
/// for a terminal that draws characters left to right as received.
///
/// Each line is its own paragraph, its direction taken from its first strong
/// character: a line that starts with Arabic reads right to left, so it ends
/// up at the left of the screen in reverse. Newlines (and other paragraph
/// separators) stay where they are.
///
/// Follows the Unicode bidi algorithm (UAX #9) as implemented by
/// `unicode-bidi`, plus the two display rules that crate leaves to its
/// caller:
///
/// - right-to-left runs are reversed by grapheme cluster, not by character,
///   so harakat (ـَ ـُ ـّ ...) stay after the letter that carries them (L3);
/// - mirrored characters in right-to-left runs are swapped with their pair,
///   so `(` becomes `)` (L4).
///
/// Numbers inside Arabic keep their digit order (`عام 2024` becomes
/// `2024 ماع`). Bidi control characters are removed from the result.
pub fn visual_line(s: &str) -> String {
    if !has_right_to_left(s) {
        // Nothing would move; only drop the controls, as promised.
        return s.chars().filter(|&c| !is_bidi_control(c)).collect();
    }

    // `None`: each paragraph takes its direction from its first strong
    // character (rules P2 and P3).
    let info = BidiInfo::new(s, None);
    let mut out = String::with_capacity(s.len());
    for paragraph in &info.paragraphs {
        let range = paragraph.range.clone();
        // The separator ending a paragraph ("\n") must not take part in the
        // reordering, or a right-to-left line would move it to its front.
        let separator_len = s[range.clone()]
            .chars()
            .next_back()
            .filter(|&c| bidi_class(c) == BidiClass::B)
            .map_or(0, char::len_utf8);
        let line = range.start..range.end - separator_len;

        if !line.is_empty() {
            // Levels are per byte; runs are byte ranges with one level each,
            // already in visual (left-to-right screen) order.
            let (levels, runs) = info.visual_runs(paragraph, line.clone());
            for run in runs {
                let text = &s[run.clone()];
                if levels[run.start].is_rtl() {
                    push_reversed(&mut out, text);
                } else {
                    out.extend(text.chars().filter(|&c| !is_bidi_control(c)));
                }
            }
        }
        out.push_str(&s[line.end..range.end]);
    }
    out
}

/// Appends a right-to-left run reversed grapheme by grapheme, each grapheme
/// kept in its own order (base letter first, then its marks), with mirrored
/// characters swapped and bidi controls dropped.
fn push_reversed(out: &mut String, run: &str) {
    for grapheme in run.graphemes(true).rev() {
        out.extend(
            grapheme
                .chars()
                .filter(|&c| !is_bidi_control(c))
                .map(mirror),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `s` with its characters in reverse order, for checking hand-worked
    /// expectations of single Arabic words.
    fn reversed(s: &str) -> String {
        s.chars().rev().collect()
    }

    // ----- visual_line: expected strings worked out from UAX #9 by hand -----

    #[test]
    fn arabic_only_line_is_reversed() {
        // RTL paragraph, every character (space included, N1) at level 1.
        assert_eq!(visual_line("حزب الله"), "هللا بزح");
        assert_eq!(visual_line("حزب الله"), reversed("حزب الله"));
    }

    #[test]
    fn english_only_line_is_untouched() {
        assert_eq!(
            visual_line("Hizbullah 2024 (Lebanon)"),
            "Hizbullah 2024 (Lebanon)"
        );
        assert_eq!(visual_line(""), "");
    }

    #[test]
    fn digits_inside_arabic_keep_their_order() {
        // عام (level 1), space (between R and EN: R, level 1), 2024 (EN at an
        // odd level: level 2). Reversing levels >= 2, then >= 1, leaves the
        // number reading forwards at the left.
        assert_eq!(visual_line("عام 2024"), "2024 ماع");
        // Arabic-Indic digits (class AN) likewise.
        assert_eq!(visual_line("عام ٢٠٢٤"), "٢٠٢٤ ماع");
    }

    #[test]
    fn mixed_line_starting_in_english_is_left_to_right() {
        // First strong character H: LTR paragraph. "Hizbullah " level 0; the
        // space after الله sits between R and a number (counted as R): level
        // 1; 2024 (W7 leaves it EN, the last strong being R) gets level 2.
        // Levels >= 1 are one run, reversed; the number in it comes back to
        // forward order.
        assert_eq!(
            visual_line("Hizbullah حزب الله 2024"),
            "Hizbullah 2024 هللا بزح"
        );
    }

    #[test]
    fn english_inside_arabic_keeps_its_order() {
        // RTL paragraph; the English word is at level 2 and reads forwards.
        assert_eq!(visual_line("قال Hizbullah إن"), "نإ Hizbullah لاق");
    }

    #[test]
    fn news_sentence_with_brackets_and_number() {
        let logical = "قال قيس الخزعلي (زعيم عصائب أهل الحق) إن 129 طائرة";
        // Words in reverse order, each word's letters reversed, the number
        // forwards, the parentheses mirrored (both are resolved R by N0: the
        // text inside is R, the paragraph is R).
        let expected = "ةرئاط 129 نإ (قحلا لهأ بئاصع ميعز) يلعزخلا سيق لاق";
        assert_eq!(visual_line(logical), expected);

        // The same expectation, built word by word, so a reader need not
        // trust how an editor shows the literal above.
        // (The number is not reversed.)
        let built = format!(
            "{} 129 {} ({} {} {} {}) {} {} {}",
            reversed("طائرة"),
            reversed("إن"),
            reversed("الحق"),
            reversed("أهل"),
            reversed("عصائب"),
            reversed("زعيم"),
            reversed("الخزعلي"),
            reversed("قيس"),
            reversed("قال"),
        );
        assert_eq!(expected, built);
    }

    #[test]
    fn brackets_are_mirrored_only_in_right_to_left_runs() {
        // RTL paragraph: the pair resolves to R and is mirrored.
        assert_eq!(visual_line("(حزب الله)"), "(هللا بزح)");
        assert_eq!(visual_line("«حزب الله»"), "«هللا بزح»");
        assert_eq!(visual_line("حزب [الله]"), "[هللا] بزح");
        // LTR paragraph: N0 gives the pair the embedding direction (the text
        // before it is L), so it stays at level 0 and keeps its glyphs; only
        // the Arabic inside is reversed.
        assert_eq!(
            visual_line("Hizbullah (حزب الله) 2024"),
            "Hizbullah (هللا بزح) 2024"
        );
    }

    #[test]
    fn mirrored_bracket_is_a_different_character() {
        // Guard against a test above passing because nothing happened.
        let out = visual_line("قال (نعم)");
        assert_eq!(out, "(معن) لاق");
        // Logical '(' came first; on screen it is the rightmost bracket and
        // must be drawn ')'.
        assert_eq!(out.chars().last(), Some('ق'));
        let brackets: Vec<char> = out.chars().filter(|c| "()".contains(*c)).collect();
        assert_eq!(brackets, ['(', ')']);
        assert_eq!(mirror('('), ')');
        assert_eq!(mirror('»'), '«');
        assert_eq!(mirror('a'), 'a');
    }

    #[test]
    fn mirror_list_only_has_mirrored_pairs() {
        // Every pair is two distinct characters, listed once.
        let mut seen = std::collections::HashSet::new();
        for c in "()[]{}<>«»‹›≤≥≪≫⁅⁆⁽⁾₍₎⌈⌉⌊⌋\u{2329}\u{232A}⟨⟩⟦⟧⟪⟫⟮⟯〈〉《》「」『』【】〔〕〖〗〘〙〚〛﹙﹚﹛﹜﹝﹞﹤﹥（）［］｛｝＜＞｢｣".chars() {
            assert_ne!(mirror(c), c, "{c:?} should be mirrored");
            assert_eq!(mirror(mirror(c)), c);
            assert!(seen.insert(c), "{c:?} listed twice");
        }
    }

    #[test]
    fn harakat_stay_after_their_letter() {
        // مُحَمَّد: م+damma, ح+fatha, م+fatha+shadda (canonical order), د.
        let logical = "\u{0645}\u{064F}\u{062D}\u{064E}\u{0645}\u{064E}\u{0651}\u{062F}";
        assert_eq!(logical, "مُحَمَّد");
        // Clusters reversed, each cluster still letter-first.
        let expected = "\u{062F}\u{0645}\u{064E}\u{0651}\u{062D}\u{064E}\u{0645}\u{064F}";
        assert_eq!(visual_line(logical), expected);

        // And generally: no haraka at the start, each haraka after a letter
        // or another haraka, as in the input.
        let out = visual_line("قال مُحَمَّد إنَّ العامَ 2024");
        let is_haraka = |c: char| matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}');
        let chars: Vec<char> = out.chars().collect();
        assert!(!is_haraka(chars[0]));
        for pair in chars.windows(2) {
            if is_haraka(pair[1]) {
                assert!(
                    pair[0] != ' ' && !pair[0].is_ascii_digit(),
                    "haraka {:?} detached in {out:?}",
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn controls_steer_direction_then_disappear() {
        // Without a mark: LTR paragraph (H first).
        assert_eq!(visual_line("Hizbullah حزب"), "Hizbullah بزح");
        // A leading RLM makes it an RTL paragraph; the English word is then
        // at level 2 and the whole line is turned around. The RLM is gone.
        assert_eq!(visual_line("\u{200F}Hizbullah حزب"), "بزح Hizbullah");
        // Marks, embeddings and isolates are all removed.
        let with_controls = "\u{2067}حزب\u{2069} \u{200E}\u{202B}الله\u{202C}\u{061C}";
        let out = visual_line(with_controls);
        assert!(!out.chars().any(is_bidi_control), "{out:?}");
        // Control-only and LTR-only input loses the controls too.
        assert_eq!(visual_line("a\u{200E}b"), "ab");
    }

    #[test]
    fn each_line_is_reordered_separately() {
        assert_eq!(
            visual_line("حزب الله\nHizbullah\nعام 2024"),
            "هللا بزح\nHizbullah\n2024 ماع"
        );
        // The second line gets its own (RTL) direction although the first
        // is LTR, and the newlines do not move.
        assert_eq!(visual_line("Hizbullah\nحزب الله\n"), "Hizbullah\nهللا بزح\n");
        assert_eq!(visual_line("حزب\r\nالله"), "بزح\r\nهللا");
        assert_eq!(visual_line("\n\nحزب\n"), "\n\nبزح\n");
    }

    // ----- Display::line -----

    fn env_with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn line_borrows_text_without_right_to_left() {
        let display = Display::with_env(BidiMode::Visual, true, false, env_with(&[]));
        assert!(display.reorders());
        assert!(matches!(
            display.line("Hizbullah 2024 (Lebanon)"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(display.line(""), Cow::Borrowed(_)));
        assert!(matches!(display.line("café – naïve"), Cow::Borrowed(_)));
        let out = display.line("حزب الله");
        assert!(matches!(out, Cow::Owned(_)));
        assert_eq!(out, "هللا بزح");
    }

    #[test]
    fn line_is_unchanged_when_not_reordering() {
        let display = Display::with_env(BidiMode::Logical, true, false, env_with(&[]));
        assert!(matches!(
            display.line("حزب الله"),
            Cow::Borrowed("حزب الله")
        ));
    }

    // ----- Display: the rules -----

    fn auto_in(vars: &[(&str, &str)]) -> bool {
        Display::with_env(BidiMode::Auto, true, false, env_with(vars)).reorders()
    }

    #[test]
    fn auto_keeps_logical_order_for_terminals_that_reorder() {
        assert!(!auto_in(&[("VTE_VERSION", "7600")]));
        assert!(!auto_in(&[("KONSOLE_VERSION", "230805")]));
        assert!(!auto_in(&[("MLTERM", "3.9.3")]));
        assert!(!auto_in(&[("TERM_PROGRAM", "Apple_Terminal")]));
    }

    #[test]
    fn auto_reorders_for_terminals_that_draw_as_received() {
        assert!(auto_in(&[("KITTY_WINDOW_ID", "1")]));
        assert!(auto_in(&[("TERM", "xterm-kitty")]));
        assert!(auto_in(&[(
            "ALACRITTY_SOCKET",
            "/run/user/1000/Alacritty.sock"
        )]));
        assert!(auto_in(&[("ALACRITTY_WINDOW_ID", "94557")]));
        assert!(auto_in(&[("TERM", "alacritty")]));
        assert!(auto_in(&[("TERM_PROGRAM", "iTerm.app")]));
        assert!(auto_in(&[("TERM_PROGRAM", "WezTerm")]));
        assert!(auto_in(&[(
            "WT_SESSION",
            "b9c1d0e2-0000-4000-8000-000000000000"
        )]));
    }

    #[test]
    fn auto_keeps_logical_order_for_unknown_or_conflicting_terminals() {
        assert!(!auto_in(&[]));
        assert!(!auto_in(&[("TERM", "xterm-256color")]));
        assert!(!auto_in(&[("TERM_PROGRAM", "vscode")]));
        assert!(!auto_in(&[("VTE_VERSION", "")])); // empty is as good as unset
        assert!(!auto_in(&[("KITTY_WINDOW_ID", "")]));
        // kitty started from a GNOME Terminal shell: can't tell, don't risk it.
        assert!(!auto_in(&[
            ("KITTY_WINDOW_ID", "1"),
            ("VTE_VERSION", "7600")
        ]));
    }

    #[test]
    fn auto_never_reorders_a_pipe_or_data() {
        let kitty = [("KITTY_WINDOW_ID", "1")];
        assert!(!Display::with_env(BidiMode::Auto, false, false, env_with(&kitty)).reorders());
        assert!(!Display::with_env(BidiMode::Auto, true, true, env_with(&kitty)).reorders());
    }

    #[test]
    fn logical_never_reorders() {
        for terminal in [true, false] {
            for data in [true, false] {
                let kitty = [("KITTY_WINDOW_ID", "1")];
                let d = Display::with_env(BidiMode::Logical, terminal, data, env_with(&kitty));
                assert!(!d.reorders());
            }
        }
    }

    #[test]
    fn visual_reorders_anything_but_data() {
        let vte = [("VTE_VERSION", "7600")];
        // Asked for explicitly: honoured even in a reordering terminal or a pipe.
        assert!(Display::with_env(BidiMode::Visual, true, false, env_with(&vte)).reorders());
        assert!(Display::with_env(BidiMode::Visual, false, false, env_with(&[])).reorders());
    }

    #[test]
    fn data_output_is_never_reordered() {
        for mode in [BidiMode::Auto, BidiMode::Logical, BidiMode::Visual] {
            for terminal in [true, false] {
                let kitty = [("KITTY_WINDOW_ID", "1")];
                let d = Display::with_env(mode, terminal, true, env_with(&kitty));
                assert!(!d.reorders(), "{mode} terminal={terminal}");
                assert_eq!(d.line("حزب الله"), "حزب الله");
                assert!(!d.color());
            }
        }
    }

    #[test]
    fn color_needs_a_terminal_and_no_no_color() {
        let color = |terminal, data, vars: &[(&str, &str)]| {
            Display::with_env(BidiMode::Auto, terminal, data, env_with(vars)).color()
        };
        assert!(color(true, false, &[]));
        assert!(color(true, false, &[("NO_COLOR", "")]));
        assert!(!color(true, false, &[("NO_COLOR", "1")]));
        assert!(!color(false, false, &[]));
        assert!(!color(true, true, &[]));
        assert!(!color(true, false, &[("TERM", "dumb")]));
        let with = |terminal, data, mode| {
            Display::with_env(BidiMode::Auto, terminal, data, env_with(&[]))
                .with_color(mode)
                .color()
        };
        assert!(
            with(false, false, ColorMode::Always),
            "into a pipe when asked"
        );
        assert!(
            !with(true, true, ColorMode::Always),
            "never into data output"
        );
        assert!(!with(true, false, ColorMode::Never));
    }

    #[test]
    fn is_terminal_reports_stdout() {
        assert!(Display::with_env(BidiMode::Logical, true, false, env_with(&[])).is_terminal());
        assert!(!Display::with_env(BidiMode::Logical, false, false, env_with(&[])).is_terminal());
    }

    #[test]
    fn new_reads_the_real_environment_without_panicking() {
        // Whatever the environment, a pipe with logical mode is plain.
        let d = Display::new(BidiMode::Logical, false, false);
        assert!(!d.reorders() && !d.color() && !d.is_terminal());
    }

    // ----- BidiMode -----

    #[test]
    fn bidi_mode_parses_and_prints() {
        for mode in [BidiMode::Auto, BidiMode::Logical, BidiMode::Visual] {
            assert_eq!(mode.to_string().parse::<BidiMode>(), Ok(mode));
        }
        assert_eq!("auto".parse(), Ok(BidiMode::Auto));
        assert_eq!("Visual".parse(), Ok(BidiMode::Visual));
        assert_eq!(BidiMode::Logical.to_string(), "logical");
        let err = "rtl".parse::<BidiMode>().unwrap_err();
        assert!(err.contains("\"rtl\""), "{err}");
        assert!(err.contains("auto, logical, visual"), "{err}");
    }

    // ----- properties -----

    /// Multiset of the characters that are not bidi controls, as a sorted list.
    fn content(s: &str) -> Vec<char> {
        let mut chars: Vec<char> = s.chars().filter(|&c| !is_bidi_control(c)).collect();
        chars.sort_unstable();
        chars
    }

    /// Text likely to exercise the algorithm: Arabic letters and harakat,
    /// Latin, digits of both kinds, brackets, spaces, newlines and controls.
    fn bidi_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "ح", "ز", "ب", "ال", "لا", "ه", "\u{064E}", "\u{0651}", "\u{0670}", "a", "Hiz", "1",
            "2024", "٣", " ", "(", ")", "«", "»", "[", "]", ".", ",", "-", "%", "$", "\n", "\r",
            "\t", "\u{2029}", "\u{200E}", "\u{200F}", "\u{061C}", "\u{202A}", "\u{202B}",
            "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
            "\u{200D}", "\u{200C}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn visual_line_keeps_every_character(s in bidi_text()) {
            let out = visual_line(&s);
            // Mirroring swaps a bracket for its partner, so compare with
            // brackets folded to one side.
            let fold = |v: Vec<char>| {
                let mut v: Vec<char> = v
                    .into_iter()
                    .map(|c| if mirror(c) < c { mirror(c) } else { c })
                    .collect();
                v.sort_unstable();
                v
            };
            prop_assert_eq!(fold(content(&out)), fold(content(&s)));
            prop_assert!(!out.chars().any(is_bidi_control));
            prop_assert_eq!(out.matches('\n').count(), s.matches('\n').count());
        }

        #[test]
        fn visual_line_never_panics_on_any_text(s in any::<String>()) {
            let out = visual_line(&s);
            let fold = |s: &str| {
                let mut v: Vec<char> = s
                    .chars()
                    .filter(|&c| !is_bidi_control(c))
                    .map(|c| if mirror(c) < c { mirror(c) } else { c })
                    .collect();
                v.sort_unstable();
                v
            };
            prop_assert_eq!(fold(&out), fold(&s));
        }
    }
}
