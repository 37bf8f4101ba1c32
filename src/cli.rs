//! The command line: clap definitions, mapped once into the plain structs of [`crate::commands`].
//!
//! Nothing outside this file sees clap. Command names, flags and JSON fields are a contract that other
//! tools script against: add freely, never rename.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::config;

use crate::commands::{self, Context, ExportConfig, ImportConfig};
use crate::display::{BidiMode, ColorMode};
use crate::formats::Format;
use crate::store::{EditRequest, OpenOptions, UnitFilter};

/// A translation memory for Arabic→English media translation.
///
/// The memory is an SQLite file: --db PATH, else $TM_DB, else the config file's `memory` (see `tm
/// config`), else memory.db in the platform's data folder
/// (on Linux ~/.local/share/tm/memory.db, on macOS ~/Library/Application Support/tm/memory.db, on Windows
/// %APPDATA%\tm\memory.db). Commands that only read never create it. A command waits up to 10 s for
/// another's write to the memory, then says it is busy; $TM_BUSY_TIMEOUT changes that (2s, 500ms, 1m).
#[derive(Parser, Debug)]
#[command(name = "tm", version, max_term_width = 100)]
pub struct Cli {
    /// The memory file.
    #[arg(long, global = true, env = "TM_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Print results as JSON (one object per result) instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Right-to-left display: `visual` reorders Arabic for terminals that do not (kitty, alacritty,
    /// iTerm2, Windows Terminal), `logical` never reorders, `auto` decides from the terminal and never
    /// reorders data output or a pipe.
    #[arg(long, global = true, value_name = "MODE", default_value = "auto")]
    bidi: BidiMode,

    /// Colour: `auto` on a terminal (not with TERM=dumb or NO_COLOR), `always` (also into a pipe, for
    /// `less -R`; never into JSON or other data), `never`.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,

    /// The settings file (default: $TM_CONFIG, else config.toml in the platform's config folder, as
    /// `tm config` shows); flags win over it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

// Each command's flags are defined only when it runs (or its help is asked for): defining all of
// them was a tenth of a short `tm align`.
#[derive(Subcommand, Debug)]
#[command(defer = true)]
enum Command {
    /// Import TMX, TSV, CSV or bilingual XLIFF files into the memory (all files in one transaction).
    Import(ImportArgs),
    /// Export the memory as TMX 1.4b, TSV or CSV.
    Export(ExportArgs),
    /// Add one unit.
    Add(AddArgs),
    /// Show what the memory holds.
    Stats,
    /// List the origins (files, documents, projects) units came from, with how many each, as --origin
    /// names them in list, export and delete.
    Origins,
    /// List units, newest last.
    List(ListArgs),
    /// Delete units by id, origin or source text.
    Delete(DeleteArgs),
    /// Change one unit's source, target or note (the change date and user are updated).
    Edit(EditArgs),
    /// Find and replace across the memory, in one transaction, with a preview of every change.
    Replace(ReplaceArgs),
    /// Merge units that differ only in harakat, tatweel, letter forms or spacing.
    Dedupe(DedupeArgs),
    /// Find the stored segments closest to an Arabic segment, with their English.
    Lookup(LookupArgs),
    /// Find where a word or phrase occurs, in either language.
    Concordance(ConcordanceArgs),
    /// Give each sentence of a document (each line, with --lines) its best match.
    Pretranslate(PretranslateArgs),
    /// Count a document's segments and words per match band (the leverage report).
    Analyze(AnalyzeArgs),
    /// Rebuild the word index from the stored text.
    Reindex,
    /// Check the whole memory file for damage and say what to do (exit status 1 when it is damaged).
    Doctor,
    /// Check that every authority name in the Arabic appears in its English in the house spelling
    /// (exit status 1 when something is found).
    Check(CheckArgs),
    /// The name authority: the shipped list and your own entries.
    #[command(subcommand)]
    Names(NamesCommand),
    /// Render an Arabic name in Latin script (the authority first in the news scheme).
    Translit(TranslitArgs),
    /// Align an Arabic document with its English translation into segment pairs (TSV, TMX, beads), or
    /// import them into the memory.
    Align(AlignArgs),
    /// Print the manual page (roff): `tm man > ~/.local/share/man/man1/tm.1`, then `man tm`. With a
    /// command, that command's page (`tm man import > .../tm-import.1`).
    Man(ManArgs),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish); README,
    /// "Installing", says where each shell reads it.
    Completions(CompletionsArgs),
    /// Show the settings in effect (memory, user, thresholds, penalties...) and where each comes
    /// from: a flag, the environment, the config file, or tm's default.
    Config,
    /// Serve the memory over HTTP: a JSON API, the tmserver protocol (Weblate, Okapi), TMX for OmegaT
    /// team projects, and a web page for translators. Stops on Ctrl-C or SIGTERM after the requests
    /// under way.
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Where to listen: an IP address and a port (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: String,
    /// A file whose first line is the token (16 characters or more) that writes need, as
    /// `Authorization: Bearer TOKEN`; off loopback, reads need it too unless --public-read.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Take no writes at all.
    #[arg(long)]
    read_only: bool,
    /// Off loopback, let anyone read without the token (writes still need it).
    #[arg(long)]
    public_read: bool,
    /// The user recorded on units added or edited through the server when a request names none
    /// (default: $TM_USER, the config file's user, then your login name).
    #[arg(long)]
    user: Option<String>,
    /// A house style file for translit and check (as `tm translit --style`).
    #[arg(long, value_name = "FILE")]
    style: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ManArgs {
    /// A command (`import`, `names`...): its page instead of tm's.
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
struct AlignArgs {
    /// The Arabic document: plain UTF-8 text (paragraphs separated by blank lines) or HTML.
    #[arg(value_name = "AR_FILE", required_unless_present = "batch")]
    arabic: Option<PathBuf>,
    /// Its English translation.
    #[arg(value_name = "EN_FILE", required_unless_present = "batch")]
    english: Option<PathBuf>,
    /// Align many document pairs in one run: LIST has one pair a line, AR_FILE<TAB>EN_FILE<TAB>OUT
    /// (OUT may be left out with --import; paths relative to LIST's folder; # starts a comment). A pair
    /// that fails is reported with its line and the others go on; with --import nothing is imported
    /// unless every pair aligned.
    #[arg(long, value_name = "LIST", conflicts_with_all = ["arabic", "english", "output"])]
    batch: Option<PathBuf>,
    /// Output: tsv (arabic, english, score, review), tmx (the score as a prop), or beads (line
    /// numbers in the evaluation format: `0,1:0`, `5:`, `:7`).
    #[arg(long, value_enum, default_value = "tsv")]
    format: AlignFormatArg,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Put the pairs into the memory, with the two file names as origin (nothing is printed unless
    /// -o, or in a --batch list an OUT, is given too).
    #[arg(long)]
    import: bool,
    /// The files hold one segment per line already (as hunalign and evaluation sets have them).
    #[arg(long)]
    segmented: bool,
    /// Leave out beads whose score (0..1) is below this.
    #[arg(long, value_name = "SCORE", value_parser = parse_min_score)]
    min_score: Option<f64>,
    /// With --batch: align this many pairs at a time (default: one a processor core, up to 8; 1 aligns
    /// them one after another). Each pair in progress holds its own document's tables: use fewer for documents
    /// of tens of thousands of sentences. The outputs are the same whatever N.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// With --batch: let the list name files outside its folder (absolute paths, `..`). Without it such
    /// a line is refused: a list from someone else must not read or write elsewhere.
    #[arg(long)]
    allow_outside: bool,
    /// With --batch: replace OUT files that already exist (without it, a list whose OUT exists is
    /// refused before anything is aligned).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum AlignFormatArg {
    Tsv,
    Tmx,
    Beads,
}

/// `--top`: a count of at least one (0 would show nothing and look like "no match").
fn parse_top(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 shows nothing: give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}

fn parse_min_score(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    commands::check_min_score(v).map_err(|e| e.to_string())
}

#[derive(Args, Debug)]
struct TranslitArgs {
    /// The Arabic name; `-` reads one name per line from standard input.
    #[arg(value_name = "TEXT")]
    text: String,
    /// news (house style), ala-lc, din (DIN 31635) or buckwalter.
    #[arg(long, default_value = "news")]
    scheme: String,
    /// A house style file (see tm/style.txt) for the news scheme.
    #[arg(long, value_name = "FILE")]
    style: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// A bilingual file (.tmx, .tsv, .csv); without it, the whole memory.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// A house style file (see tm/style.txt).
    #[arg(long, value_name = "FILE")]
    style: Option<PathBuf>,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum NamesFormatArg {
    Tsv,
    Omegat,
    Tbx,
}

impl From<NamesFormatArg> for commands::NamesFormat {
    fn from(f: NamesFormatArg) -> Self {
        match f {
            NamesFormatArg::Tsv => commands::NamesFormat::Tsv,
            NamesFormatArg::Omegat => commands::NamesFormat::Omegat,
            NamesFormatArg::Tbx => commands::NamesFormat::Tbx,
        }
    }
}

#[derive(Subcommand, Debug)]
#[command(defer = true)]
enum NamesCommand {
    /// List the authority (shipped and your entries).
    List {
        /// Only your own entries.
        #[arg(long)]
        user: bool,
    },
    /// Add (or replace) one of your entries.
    Add {
        /// The Arabic form(s), several separated by `|`.
        #[arg(long, value_name = "TEXT")]
        arabic: String,
        /// The house's English.
        #[arg(long, value_name = "TEXT")]
        english: String,
        /// person, organisation, place, media or other.
        #[arg(long, default_value = "other")]
        kind: String,
        /// A spelling the check should correct (repeatable).
        #[arg(long = "variant", value_name = "TEXT")]
        variants: Vec<String>,
        /// An accepted alternative the check lets pass, such as a spelled-out form (repeatable).
        #[arg(long = "accepted", value_name = "TEXT")]
        accepted: Vec<String>,
        /// A note (the word "ambiguous" keeps the check from reporting the name missing).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Remove one of your entries by an Arabic form.
    Remove {
        #[arg(value_name = "ARABIC")]
        arabic: String,
    },
    /// Import entries from TSV, OmegaT's glossary or TBX.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// By default from the extension: .tbx, .utf8/.txt (OmegaT), else TSV.
        #[arg(long)]
        format: Option<NamesFormatArg>,
    },
    /// Propose Arabic name ↔ English pairs found across the memory, ranked by evidence.
    Mine {
        /// Only pairs seen in at least this many units.
        #[arg(long, default_value_t = 2)]
        min: u64,
        /// At most this many proposals.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Add proposals to your names: every one shown, or those numbered (--accept 3,5,8). A form
        /// you or the authority already spell otherwise is left as it is without --replace.
        #[arg(long, value_name = "N,N,...", num_args = 0..=1, default_missing_value = "all")]
        accept: Option<String>,
        /// With --accept: a proposal replaces the English of a name of yours with the same Arabic.
        #[arg(long, requires = "accept")]
        replace: bool,
        /// Write the proposals as a names file (TSV) to review and edit, then bring in with `tm names
        /// import FILE`.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export the authority as TSV, OmegaT's glossary or TBX (`-` for standard output).
    Export {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        format: Option<NamesFormatArg>,
        /// Only your own entries.
        #[arg(long)]
        user: bool,
    },
}

#[derive(Args, Debug)]
struct LookupArgs {
    /// The Arabic segment; `-` reads one query per line from standard input.
    #[arg(value_name = "TEXT")]
    text: String,
    /// Lowest score shown (0-100).
    #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u8).range(0..=100))]
    min: u8,
    /// How many distinct stored segments to show, at least 1 (all translations of each are shown).
    #[arg(long, default_value_t = 5, value_parser = parse_top)]
    top: usize,
    /// Look up in this .tmx/.tsv/.csv file directly, without importing it.
    #[arg(long, value_name = "FILE")]
    memory: Option<PathBuf>,
    /// Take N points off the matches of units from ORIGIN (aligned or machine-translated material),
    /// as OmegaT's penalty-NN folders do; repeatable (`tm origins` lists origins).
    #[arg(long, value_name = "ORIGIN=N")]
    penalty: Vec<crate::fuzzy::Penalty>,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(Args, Debug)]
struct ConcordanceArgs {
    /// A word or phrase: Arabic is searched in the sources (through clitics), Latin script in the targets.
    #[arg(value_name = "PHRASE")]
    phrase: String,
    /// At most this many units, newest first.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PretranslateFormatArg {
    Tsv,
    Tmx,
    /// XLIFF 1.2 (what every CAT tool reads).
    Xliff,
    /// XLIFF 2.1.
    Xliff2,
}

#[derive(Args, Debug)]
struct PretranslateArgs {
    /// The documents, plain text: each split into sentences (see --lines); `-` reads standard input.
    /// Several are written a file each into the folder -o names (DOC.tsv, DOC.tmx, DOC.xlf), or as
    /// JSON lines with --json.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Its encoding (e.g. windows-1256), when it is not UTF-8 or UTF-16 with a BOM.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// The document is already one segment per line: take the lines as they are.
    #[arg(long)]
    lines: bool,
    /// Lowest score used (0-100).
    #[arg(long, default_value_t = 75, value_parser = clap::value_parser!(u8).range(0..=100))]
    min: u8,
    /// Output file (default: standard output); with several documents, a folder.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    out: Option<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "tsv", value_name = "FORMAT")]
    format: PretranslateFormatArg,
    /// Take N points off the matches of units from ORIGIN; repeatable. A penalized match is never
    /// taken as the translation (approved, or into the TMX).
    #[arg(long, value_name = "ORIGIN=N")]
    penalty: Vec<crate::fuzzy::Penalty>,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(Args, Debug)]
struct AnalyzeArgs {
    /// The documents, plain text: each split into sentences (see --lines); `-` reads standard
    /// input. Several get a report each and a total; a segment repeated from an earlier one counts
    /// as a repetition.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Their encoding (e.g. windows-1256), when it is not UTF-8 or UTF-16 with a BOM.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// The document is already one segment per line: take the lines as they are.
    #[arg(long)]
    lines: bool,
    #[command(flatten)]
    langs: LangArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Tmx,
    Tsv,
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Tmx => Format::Tmx,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Csv => Format::Csv,
        }
    }
}

/// What `tm import` reads: the formats export writes, and bilingual XLIFF from a CAT tool.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ImportFormatArg {
    Tmx,
    Tsv,
    Csv,
    /// XLIFF 1.2 (also SDLXLIFF, MQXLIFF) or 2.0/2.1.
    Xliff,
}

impl From<ImportFormatArg> for Format {
    fn from(f: ImportFormatArg) -> Format {
        match f {
            ImportFormatArg::Tmx => Format::Tmx,
            ImportFormatArg::Tsv => Format::Tsv,
            ImportFormatArg::Csv => Format::Csv,
            ImportFormatArg::Xliff => Format::Xliff,
        }
    }
}

#[derive(Args, Debug)]
struct LangArgs {
    /// Source language (a bare tag such as `ar` takes any region: ar-IQ, ar-SA).
    #[arg(long, default_value = "ar", value_name = "LANG")]
    src: String,
    /// Target language.
    #[arg(long, default_value = "en", value_name = "LANG")]
    tgt: String,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// Files to import; `-` reads standard input (with --format), its units' origin `<stdin>`
    /// unless --origin or the units name one.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Format of every file; by default each file's extension decides (.tmx, .tsv/.txt, .csv,
    /// .xlf/.xliff/.sdlxliff/.mqxliff).
    #[arg(long, value_name = "FORMAT")]
    format: Option<ImportFormatArg>,
    #[command(flatten)]
    langs: LangArgs,
    /// XLIFF: which segments go in: `confirmed` (what the translator confirmed: XLIFF translated,
    /// signed-off, final, reviewed or approved; Trados Translated, ApprovedTranslation,
    /// ApprovedSignOff; memoQ confirmed or proofread), `all` (every translated segment), or one state
    /// as the file names it (needs-review-translation, Draft, PartiallyEdited).
    #[arg(long, value_name = "STATE", default_value = "confirmed")]
    state: String,
    /// Origin recorded for every unit (default: the unit's own x-origin prop, the XLIFF file's
    /// original document, else the file name).
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
    /// Import the good units, report the bad ones with their position, instead of failing.
    #[arg(long)]
    skip_invalid: bool,
    /// Text encoding of the files (e.g. windows-1256), when they do not declare it.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// TSV/CSV: the first row is a header (default: guessed).
    #[arg(long, conflicts_with = "no_header")]
    header: bool,
    /// TSV/CSV: the first row is data.
    #[arg(long)]
    no_header: bool,
    /// User recorded for units that name none (default: $TM_USER, the config
    /// file's user, else $USER).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// The longest line (TSV/CSV) or run of text without a tag (TMX) read, in MiB, before a file is
    /// refused as not a translation file.
    #[arg(long, value_name = "MIB", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_segment: u32,
}

#[derive(Args, Debug)]
struct ExportArgs {
    /// Output file; `-` writes to standard output.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format; by default the extension decides, else TMX.
    #[arg(long, value_name = "FORMAT")]
    format: Option<FormatArg>,
    /// Only units of this source language.
    #[arg(long, value_name = "LANG")]
    src: Option<String>,
    /// Only units of this target language.
    #[arg(long, value_name = "LANG")]
    tgt: Option<String>,
    /// Only units of this origin.
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
}

#[derive(Args, Debug)]
struct AddArgs {
    /// The source segment (Arabic).
    #[arg(long, value_name = "TEXT")]
    source: String,
    /// Its translation.
    #[arg(long, value_name = "TEXT")]
    target: String,
    #[command(flatten)]
    langs: LangArgs,
    /// Origin recorded for the unit.
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
    /// User recorded for the unit (default: $TM_USER, the config
    /// file's user, else $USER).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
}

#[derive(Args, Debug)]
struct ListArgs {
    /// Only units of this origin.
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
    /// Only units whose source or target contains this text (in matching form: harakat, tatweel,
    /// letter forms and case do not matter).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only units changed on or after this date (YYYY-MM-DD, UTC, or a TMX date 20240925T101500Z).
    #[arg(long, value_name = "DATE", value_parser = tmx_date)]
    since: Option<String>,
    /// Only units created or last changed by this user.
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// At most this many units (the newest).
    #[arg(long, default_value_t = 50, value_name = "N")]
    limit: usize,
}

#[derive(Args, Debug)]
struct DeleteArgs {
    /// Delete the unit with this id (repeatable; `tm list` shows ids).
    #[arg(long = "id", value_name = "ID")]
    ids: Vec<i64>,
    /// Delete every unit of this origin.
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
    /// Delete the units whose source is exactly this text.
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// Delete every unit (needed when no other criterion is given).
    #[arg(long)]
    all: bool,
    /// Say how many units would go, and delete nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args, Debug)]
struct EditArgs {
    /// The unit (`tm list` shows ids).
    #[arg(long, value_name = "ID")]
    id: i64,
    /// Its new source text.
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// Its new target text.
    #[arg(long, value_name = "TEXT")]
    target: Option<String>,
    /// Its note, replacing the notes it had (empty removes them).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// User recorded as the one who changed it (default: $TM_USER, the config
    /// file's user, else $USER).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
}

#[derive(Args, Debug)]
struct ReplaceArgs {
    /// What to find (text, or a pattern with --regex).
    #[arg(value_name = "OLD")]
    old: String,
    /// What to put instead (with --regex, $1 or ${name} insert a group).
    #[arg(value_name = "NEW")]
    new: String,
    /// Only in sources (Arabic).
    #[arg(long)]
    source: bool,
    /// Only in targets (English). Without --source or --target, both.
    #[arg(long)]
    target: bool,
    /// Whole words only: OLD is not found inside a longer word.
    #[arg(long)]
    word: bool,
    /// OLD is a regular expression (Rust regex syntax).
    #[arg(long)]
    regex: bool,
    /// Upper and lower case alike.
    #[arg(long, short = 'i')]
    ignore_case: bool,
    /// Only units of this origin.
    #[arg(long, value_name = "NAME")]
    origin: Option<String>,
    /// Show every change and the count, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// User recorded as the one who changed the units (default: $TM_USER, the config
    /// file's user, else $USER).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
}

#[derive(Args, Debug)]
struct DedupeArgs {
    /// Report the duplicates and change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// `tm man [COMMAND]`: the page of tm, or of one of its commands, in roff.
fn man(command: Option<&str>) -> anyhow::Result<()> {
    let mut cli = Cli::command();
    // Each command's flags are deferred (see `Command`): the page needs them all.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                let known: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!(
                    "tm has no command {name:?}; its commands: {}",
                    known.join(", ")
                );
            };
            sub.clone().display_name(format!("tm-{name}"))
        }
    };
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    Ok(())
}

/// Parses the arguments and runs the command. Returns the process exit code.
/// Called once a process (`main`): the command definitions it builds are not freed.
pub fn run() -> i32 {
    // What Cli::parse does, but the definitions of every command and flag are not freed: a process
    // runs one command, and freeing them was a tenth of a short `tm align`'s start-up.
    let mut definitions = std::mem::ManuallyDrop::new(Cli::command());
    let mut matches = definitions.get_matches_mut();
    // What the command line itself said, before the config file fills in the rest.
    let on_line = |m: &clap::ArgMatches, id: &str| {
        m.try_get_raw(id).is_ok_and(|v| v.is_some())
            && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
    };
    let given = Given {
        db: on_line(&matches, "db"),
        bidi: on_line(&matches, "bidi"),
        color: on_line(&matches, "color"),
        min: matches.subcommand().is_some_and(|(_, m)| on_line(m, "min")),
        top: matches.subcommand().is_some_and(|(_, m)| on_line(m, "top")),
    };
    let mut cli = Cli::from_arg_matches_mut(&mut matches)
        .unwrap_or_else(|e| e.format(&mut definitions).exit());
    let loaded = match config::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => return commands::exit_code(Err(e)),
    };
    let settings = &loaded.config;
    if !given.bidi {
        if let Some(mode) = settings.bidi.as_deref() {
            cli.bidi = match mode {
                "visual" => BidiMode::Visual,
                "logical" => BidiMode::Logical,
                _ => BidiMode::Auto,
            };
        }
    }
    if !given.color {
        if let Some(color) = &settings.color {
            cli.color.clone_from(color);
        }
    }
    let db_from_line = cli.db.is_some();
    if cli.db.is_none() {
        cli.db.clone_from(&settings.memory);
    }
    // Penalties: the file's, then the command line's (which win for the same origin).
    let penalties = |flags: Vec<crate::fuzzy::Penalty>| {
        let mut all: Vec<crate::fuzzy::Penalty> = (settings.penalties.iter())
            .filter(|(origin, _)| !flags.iter().any(|f| &&f.origin == origin))
            .map(|(origin, &points)| crate::fuzzy::Penalty {
                origin: origin.clone(),
                points,
            })
            .collect();
        all.extend(flags);
        all
    };
    let user = |flag: Option<String>| user(flag, settings.user.as_deref());
    let style = |flag: Option<PathBuf>| flag.or_else(|| settings.style.clone());
    let bidi_name = format!("{:?}", cli.bidi).to_lowercase();
    let color_name = cli.color.clone();
    let color = match cli.color.as_str() {
        "always" => ColorMode::Always,
        "never" => ColorMode::Never,
        _ => ColorMode::Auto,
    };
    let open_options = match busy_timeout(std::env::var_os("TM_BUSY_TIMEOUT")) {
        Ok(None) => OpenOptions::new(),
        Ok(Some(timeout)) => OpenOptions::new().busy_timeout(timeout),
        Err(e) => return commands::exit_code(Err(e)),
    };
    let ctx = Context::new(cli.db, cli.json, cli.bidi, color).with_open_options(open_options);
    let result = match cli.command {
        Command::Import(a) => commands::import(&ctx, import_config(a, settings.user.as_deref())),
        Command::Align(a) => align_config(a).and_then(|cfg| commands::align(&ctx, cfg)),
        Command::Export(a) => {
            let format = a
                .format
                .map(Format::from)
                .or_else(|| Format::from_path(&a.file))
                .unwrap_or(Format::Tmx);
            commands::export(
                &ctx,
                ExportConfig {
                    file: a.file,
                    format,
                    filter: UnitFilter {
                        origin: a.origin,
                        src_lang: a.src,
                        tgt_lang: a.tgt,
                        ..UnitFilter::default()
                    },
                },
            )
        }
        Command::Add(a) => commands::add(
            &ctx,
            commands::AddConfig {
                source: a.source,
                target: a.target,
                src: a.langs.src,
                tgt: a.langs.tgt,
                origin: a.origin,
                user: user(a.user),
            },
        ),
        Command::Stats => commands::stats(&ctx),
        Command::Origins => commands::origins(&ctx),
        Command::List(a) => commands::list(
            &ctx,
            UnitFilter {
                origin: a.origin,
                search: a.search,
                since: a.since,
                user: a.user,
                ..UnitFilter::default()
            },
            a.limit,
        ),
        Command::Delete(a) => commands::delete(
            &ctx,
            UnitFilter {
                ids: a.ids,
                origin: a.origin,
                source: a.source,
                ..UnitFilter::default()
            },
            a.all,
            a.dry_run,
        ),
        Command::Edit(a) => commands::edit(
            &ctx,
            a.id,
            EditRequest {
                source: a.source,
                target: a.target,
                note: a.note,
            },
            user(a.user),
        ),
        Command::Replace(a) => commands::replace(
            &ctx,
            commands::ReplaceConfig {
                old: a.old,
                new: a.new,
                source: a.source,
                target: a.target,
                word: a.word,
                regex: a.regex,
                ignore_case: a.ignore_case,
                origin: a.origin,
                dry_run: a.dry_run,
                user: user(a.user),
            },
        ),
        Command::Dedupe(a) => commands::dedupe(&ctx, a.dry_run),
        Command::Lookup(a) => commands::lookup(
            &ctx,
            commands::LookupConfig {
                text: a.text,
                opts: crate::fuzzy::LookupOptions {
                    min: settings.lookup.min.filter(|_| !given.min).unwrap_or(a.min),
                    top: settings.lookup.top.filter(|_| !given.top).unwrap_or(a.top),
                    src: a.langs.src,
                    tgt: a.langs.tgt,
                    penalties: penalties(a.penalty),
                },
                memory: a.memory,
            },
        ),
        Command::Concordance(a) => {
            commands::concordance(&ctx, &a.phrase, a.limit, &a.langs.src, &a.langs.tgt)
        }
        Command::Pretranslate(a) => commands::Document::all(a.files, a.encoding.as_deref())
            .and_then(|files| {
                commands::pretranslate(
                    &ctx,
                    commands::PretranslateConfig {
                        files,
                        opts: crate::fuzzy::LookupOptions {
                            min: settings
                                .pretranslate
                                .min
                                .filter(|_| !given.min)
                                .unwrap_or(a.min),
                            top: 1,
                            src: a.langs.src,
                            tgt: a.langs.tgt,
                            penalties: penalties(a.penalty),
                        },
                        out: a.out,
                        format: match a.format {
                            PretranslateFormatArg::Tsv => commands::PretranslateFormat::Tsv,
                            PretranslateFormatArg::Tmx => commands::PretranslateFormat::Tmx,
                            PretranslateFormatArg::Xliff => commands::PretranslateFormat::Xliff,
                            PretranslateFormatArg::Xliff2 => commands::PretranslateFormat::Xliff2,
                        },
                        lines: a.lines,
                    },
                )
            }),
        Command::Analyze(a) => commands::Document::all(a.files, a.encoding.as_deref())
            .and_then(|docs| commands::analyze(&ctx, &docs, a.lines, &a.langs.src, &a.langs.tgt)),
        Command::Reindex => commands::reindex(&ctx),
        Command::Doctor => {
            return match commands::doctor(&ctx) {
                Ok(true) => 1,
                Ok(false) => 0,
                Err(e) => commands::exit_code(Err(e)),
            }
        }
        Command::Check(a) => {
            return match commands::check(
                &ctx,
                a.file.as_deref(),
                &a.langs.src,
                &a.langs.tgt,
                style(a.style).as_deref(),
            ) {
                Ok(true) => 1,
                Ok(false) => 0,
                Err(e) => commands::exit_code(Err(e)),
            }
        }
        Command::Man(a) => man(a.command.as_deref()),
        Command::Completions(a) => {
            let mut cli = Cli::command();
            clap_complete::generate(a.shell, &mut cli, "tm", &mut std::io::stdout());
            Ok(())
        }
        Command::Translit(a) => {
            commands::translit(&ctx, &a.text, &a.scheme, style(a.style).as_deref())
        }
        Command::Serve(a) => commands::load_style(style(a.style).as_deref()).and_then(|style| {
            crate::serve::serve(
                &ctx,
                crate::serve::ServeConfig {
                    addr: a.addr,
                    token_file: a.token_file,
                    read_only: a.read_only,
                    public_read: a.public_read,
                    user: user(a.user),
                    lookup: crate::fuzzy::LookupOptions {
                        min: settings.lookup.min.unwrap_or(70),
                        top: settings.lookup.top.unwrap_or(5),
                        penalties: penalties(Vec::new()),
                        ..Default::default()
                    },
                    style,
                },
            )
        }),
        Command::Config => commands::settings(
            &ctx,
            loaded.path.as_deref(),
            &effective_settings(
                &ctx,
                &loaded,
                &given,
                db_from_line,
                (&bidi_name, &color_name),
            ),
        ),
        Command::Names(n) => match n {
            NamesCommand::List { user } => commands::names_list(&ctx, user),
            NamesCommand::Add {
                arabic,
                english,
                kind,
                variants,
                accepted,
                note,
            } => commands::names_add(&ctx, &arabic, &english, &kind, &variants, &accepted, &note),
            NamesCommand::Remove { arabic } => commands::names_remove(&ctx, &arabic),
            NamesCommand::Mine {
                min,
                limit,
                accept,
                replace,
                output,
            } => commands::names_mine(
                &ctx,
                commands::MineConfig {
                    min,
                    limit,
                    accept,
                    replace,
                    output,
                },
            ),
            NamesCommand::Import { file, format } => {
                commands::names_import(&ctx, &file, format.map(Into::into))
            }
            NamesCommand::Export { file, format, user } => {
                commands::names_export(&ctx, &file, format.map(Into::into), user)
            }
        },
    };
    commands::exit_code(result)
}

fn align_config(a: AlignArgs) -> anyhow::Result<commands::AlignConfig> {
    // clap's `requires = "batch"` does not reject `--jobs` on a single pair, so it is checked here.
    if a.jobs.is_some() && a.batch.is_none() {
        anyhow::bail!("--jobs is for --batch: one pair is aligned on one thread");
    }
    for (given, flag) in [(a.allow_outside, "--allow-outside"), (a.force, "--force")] {
        if given && a.batch.is_none() {
            anyhow::bail!("{flag} is for --batch lists");
        }
    }
    let documents = match (a.batch, a.arabic, a.english) {
        (Some(list), _, _) => commands::Documents::Batch(list),
        (None, Some(arabic), Some(english)) => commands::Documents::Pair(commands::DocumentPair {
            arabic,
            english,
            output: a.output,
        }),
        // clap asks for both files unless --batch is given.
        _ => anyhow::bail!("tm align needs AR_FILE and EN_FILE, or --batch LIST"),
    };
    Ok(commands::AlignConfig {
        documents,
        format: match a.format {
            AlignFormatArg::Tsv => commands::AlignFormat::Tsv,
            AlignFormatArg::Tmx => commands::AlignFormat::Tmx,
            AlignFormatArg::Beads => commands::AlignFormat::Beads,
        },
        import: a.import,
        segmented: a.segmented,
        min_score: a.min_score,
        jobs: a.jobs.map(usize::from),
        allow_outside: a.allow_outside,
        force: a.force,
        src: a.langs.src,
        tgt: a.langs.tgt,
    })
}

fn import_config(a: ImportArgs, configured_user: Option<&str>) -> ImportConfig {
    ImportConfig {
        files: a.files,
        format: a.format.map(Format::from),
        src: a.langs.src,
        tgt: a.langs.tgt,
        origin: a.origin,
        skip_invalid: a.skip_invalid,
        encoding: a.encoding,
        header: match (a.header, a.no_header) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        user: user(a.user, configured_user),
        max_segment: (a.max_segment as usize) << 20,
        state: a.state.parse().unwrap_or_default(),
    }
}

/// `$TM_BUSY_TIMEOUT`: how long a command waits for another's write before saying the memory is busy.
/// Milliseconds (`500`), or a whole number of `ms`, `s` or `m` (`250ms`, `2s`, `1m`); unset or empty
/// keeps the default, `0` does not wait.
fn busy_timeout(value: Option<std::ffi::OsString>) -> anyhow::Result<Option<Duration>> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let parsed = value.to_str().and_then(|text| {
        let text = text.trim();
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let millis_per = match unit.trim_start() {
            "" | "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            _ => return None,
        };
        let millis = number.parse::<u64>().ok()?.checked_mul(millis_per)?;
        Some(Duration::from_millis(millis))
    });
    match parsed {
        Some(timeout) => Ok(Some(timeout)),
        None => anyhow::bail!(
            "TM_BUSY_TIMEOUT={:?} is not a duration: give milliseconds (500) or a whole number of ms, \
             s or m (250ms, 2s, 1m)",
            value.to_string_lossy()
        ),
    }
}

/// The user recorded on new units: the flag, else $TM_USER, else $USER / $USERNAME.
/// A date as the store keeps them (TMX's `20240925T101500Z`), from `2024-09-25` (midnight UTC) or a TMX
/// date.
fn tmx_date(s: &str) -> Result<String, String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = match s.len() {
        10 => s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' && digits.len() == 8,
        16 => s.as_bytes()[8] == b'T' && s.ends_with('Z') && digits.len() == 14,
        _ => false,
    };
    let field = |r: std::ops::Range<usize>| -> u32 {
        digits.get(r).and_then(|v| v.parse().ok()).unwrap_or(99)
    };
    let in_range = (1..=12).contains(&field(4..6))
        && (1..=31).contains(&field(6..8))
        && (digits.len() == 8 || (field(8..10) < 24 && field(10..12) < 60 && field(12..14) < 61));
    if !shape_ok || !in_range {
        return Err(format!(
            "{s:?} is not a date: give YYYY-MM-DD (2024-09-25) or a TMX date (20240925T101500Z)"
        ));
    }
    Ok(if s.len() == 10 {
        format!("{digits}T000000Z")
    } else {
        s.to_string()
    })
}

/// The user recorded on units: the flag, `$TM_USER`, the config file's `user`, then the login name.
fn user(flag: Option<String>, configured: Option<&str>) -> Option<String> {
    let env = |v: &str| std::env::var(v).ok().filter(|s| !s.is_empty());
    flag.or_else(|| env("TM_USER"))
        .or_else(|| configured.map(str::to_string))
        .or_else(|| env("USER"))
        .or_else(|| env("USERNAME"))
}

/// Which settings the command line gave itself (the others may come from the config file).
struct Given {
    /// `--db` itself (not `$TM_DB`).
    db: bool,
    bidi: bool,
    color: bool,
    min: bool,
    top: bool,
}

/// Every setting in effect for `tm config`: (key, value, where it came from).
fn effective_settings(
    ctx: &Context,
    loaded: &config::Loaded,
    given: &Given,
    db_from_line: bool,
    (bidi, color): (&str, &str),
) -> Vec<(String, String, String)> {
    let c = &loaded.config;
    let file = || match &loaded.path {
        Some(p) => format!("config file {}", p.display()),
        None => "config file".to_string(),
    };
    let mut rows = Vec::new();
    let mut row =
        |key: &str, value: String, from: String| rows.push((key.to_string(), value, from));
    let memory = ctx
        .db_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|e| format!("({e})"));
    let memory_from = if given.db {
        "--db".to_string()
    } else if db_from_line {
        "$TM_DB".to_string()
    } else if c.memory.is_some() {
        file()
    } else {
        "default (the platform's data folder)".to_string()
    };
    row("memory", memory, memory_from);
    let env = |v: &str| std::env::var(v).ok().filter(|s| !s.is_empty());
    let (user, user_from) = match (
        env("TM_USER"),
        &c.user,
        env("USER").or_else(|| env("USERNAME")),
    ) {
        (Some(u), _, _) => (u, "$TM_USER".to_string()),
        (None, Some(u), _) => (u.clone(), file()),
        (None, None, Some(u)) => (u, "the login name ($USER)".to_string()),
        (None, None, None) => ("(none)".to_string(), "default".to_string()),
    };
    row("user", user, user_from);
    match &c.style {
        Some(p) => row("style", p.display().to_string(), file()),
        None => row(
            "style",
            "(the house style built in)".into(),
            "default".into(),
        ),
    }
    let pick = |on_line: bool, configured: bool, flag: &str| {
        if on_line {
            flag.to_string()
        } else if configured {
            file()
        } else {
            "default".to_string()
        }
    };
    row(
        "bidi",
        bidi.to_string(),
        pick(given.bidi, c.bidi.is_some(), "--bidi"),
    );
    row(
        "color",
        color.to_string(),
        pick(given.color, c.color.is_some(), "--color"),
    );
    let number = |v: Option<u64>, default: u64| (v.unwrap_or(default).to_string(), v.is_some());
    for (key, (value, set)) in [
        ("lookup.min", number(c.lookup.min.map(u64::from), 70)),
        ("lookup.top", number(c.lookup.top.map(|t| t as u64), 5)),
        (
            "pretranslate.min",
            number(c.pretranslate.min.map(u64::from), 75),
        ),
    ] {
        row(key, value, pick(false, set, ""));
    }
    for (origin, points) in &c.penalties {
        row(&format!("penalties.{origin}"), points.to_string(), file());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap checks a command's definitions when it is built; with `defer` a run builds only its own
    /// command, so this builds and checks them all.
    #[test]
    fn every_command_is_well_defined() {
        Cli::command().debug_assert();
    }

    #[test]
    fn busy_timeout_takes_milliseconds_or_a_unit() {
        let parse = |v: &str| busy_timeout(Some(v.into())).map_err(|e| e.to_string());
        let ms = |n| Ok(Some(Duration::from_millis(n)));
        assert_eq!(parse("1500"), ms(1500));
        assert_eq!(parse("250ms"), ms(250));
        assert_eq!(parse(" 2 s "), ms(2000));
        assert_eq!(parse("1m"), ms(60_000));
        assert_eq!(parse("0"), ms(0));
        assert_eq!(busy_timeout(None).unwrap(), None);
        assert_eq!(parse("").unwrap(), None);
        for bad in [
            "abc",
            "1.5s",
            "-1",
            "2h",
            "s",
            "10 000",
            "300000000000000000m",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(
                e.starts_with("TM_BUSY_TIMEOUT=") && e.contains(bad),
                "{bad}: {e}"
            );
        }
    }
}
