//! The text layer: what every other part of `tm` means by a word.
//!
//! Everything that compares text (the store's index, fuzzy matching, concordance, the name spotter,
//! transliteration, the aligner) stands on this module and on nothing else of `tm`'s own, so that one
//! definition of folding, of a word, of a clitic and of a consonant skeleton holds everywhere:
//!
//! - [`fold`]: the matching form of text ([`normalize`] for Arabic or any text, [`fold_english`]).
//! - [`words`](mod@words): the one word rule, over original text with spans ([`tokenize`]) or over
//!   folded text ([`words()`](fn@words)).
//! - [`clitics`]: the proclitics و ف ب ك ل ال, as the index strips them ([`strip_clitics`]) and as
//!   a lookup reads them ([`without_proclitics`]).
//! - [`skeleton`](mod@skeleton): the consonants of a name, in Latin and in Arabic script, so that the
//!   many English spellings of one name meet, and meet the Arabic.
//!
//! The stored text is never changed: these functions only build keys.
//!
//! The build script (`build.rs`) compiles this module as it stands, to fold the shipped names at build
//! time exactly as `tm` folds text at run time. That is why no file here may `use crate::`: the layer
//! reaches its own parts through `super::` and needs nothing but its Unicode crate.

pub mod clitics;
pub mod fold;
pub mod skeleton;
pub mod words;

pub use clitics::{strip_clitics, without_proclitics};
pub use fold::{fold_english, normalize};
pub use skeleton::{arabic_skeleton, skeleton};
pub use words::{first_word, joined_first_word, number_of, stem_of, tokenize, words, Token};
