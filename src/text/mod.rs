//! The text layer: what every other part of `tm` means by a word.
//!
//! Everything that compares text (the store's index, fuzzy matching, concordance, the name spotter,
//! transliteration, the aligner) stands on this module and on nothing else of `tm`'s own, so that one
//! definition of folding, of a word, of a clitic and of a consonant skeleton holds everywhere:
//!
//! - Folding: the matching form of text, [`normalize`] for Arabic (or any) text and [`fold_english`]
//!   for the English side.
//! - Words: one rule, over original text with spans ([`tokenize`], giving [`Token`]s) or over folded
//!   text ([`words()`](fn@words)). A word is a run of letters and digits. Harakat, tatweel and the
//!   invisible characters folding removes belong to the word they are in; a `.` or `,` between digits
//!   and an apostrophe between letters stay inside it (`3.5`, `1,000`, `Qa'im`); any other
//!   punctuation, a hyphen, a symbol or a space ends it.
//! - Clitics: the proclitics و ف ب ك ل ال, which the index strips to file a word under its stem
//!   ([`strip_clitics`]).
//! - Skeletons (inside the crate): the consonants of a name, in Latin and in Arabic script, so that
//!   the many English spellings of one name meet, and meet the Arabic.
//!
//! The stored text is never changed: these functions only build keys.
//!
//! The build script (`build.rs`) compiles this module as it stands, to fold the shipped names at build
//! time exactly as `tm` folds text at run time. That is why no file here may `use crate::`: the layer
//! reaches its own parts through `super::` and needs nothing but its Unicode crate.

pub(crate) mod clitics;
pub(crate) mod fold;
pub(crate) mod skeleton;
pub(crate) mod words;

pub use clitics::strip_clitics;
pub(crate) use clitics::without_proclitics;
pub(crate) use fold::plain_fold;
pub use fold::{fold_english, normalize};
pub(crate) use skeleton::skeleton;
#[cfg(test)]
pub(crate) use words::tokenize_into;
pub(crate) use words::{first_word, fold_word_into, joined_first_word, stem_of, word_spans};
pub use words::{tokenize, words, Token, Words};
