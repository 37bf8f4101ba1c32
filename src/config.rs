//! Settings that stay: a TOML file of the defaults a translator would otherwise type every time.
//!
//! The file is `--config FILE`, else `$TM_CONFIG`, else `config.toml` in the platform's config folder
//! (`~/.config/tm/` on Linux, `~/Library/Application Support/tm/` on macOS, `%APPDATA%\tm\` on Windows),
//! if it exists. What a command line says wins over the file, and the file over `tm`'s own defaults;
//! `tm config` shows every setting and where it came from. A key `tm` does not know is an error naming
//! its line: a misspelt `penalites` silently ignored would be a setting the user believes in and does not
//! have.
//!
//! ```toml
//! memory = "~/newsroom/memory.db"   # as --db
//! user = "huda"                     # recorded on what you add, edit and import
//! style = "~/newsroom/house.txt"    # --style for check and translit
//! bidi = "visual"                   # auto | visual | logical
//! color = "auto"                    # auto | always | never
//!
//! [lookup]
//! min = 70
//! top = 5
//!
//! [pretranslate]
//! min = 75
//!
//! [penalties]                       # points off an origin's matches, as --penalty
//! aligned = 10
//! "mt-2024" = 25
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;

/// The settings a config file can hold; every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The memory file (as `--db`).
    pub memory: Option<PathBuf>,
    /// The user recorded on units (as `--user`).
    pub user: Option<String>,
    /// The house style file (as `--style`).
    pub style: Option<PathBuf>,
    /// Right-to-left display: auto, visual, logical.
    pub bidi: Option<String>,
    /// Colour: auto, always, never.
    pub color: Option<String>,
    /// `tm lookup`'s defaults.
    #[serde(default)]
    pub lookup: LookupSection,
    /// `tm pretranslate`'s defaults.
    #[serde(default)]
    pub pretranslate: PretranslateSection,
    /// Points off each origin's matches (as `--penalty ORIGIN=N`).
    #[serde(default)]
    pub penalties: BTreeMap<String, u8>,
}

/// `[lookup]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupSection {
    pub min: Option<u8>,
    pub top: Option<usize>,
}

/// `[pretranslate]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PretranslateSection {
    pub min: Option<u8>,
}

/// A config file read, and where it is (`None`: there was none to read).
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub config: Config,
}

/// Where the config file is: the flag, else `$TM_CONFIG`, else the platform's place; and whether it
/// must exist (it must when the user named it).
pub fn location(flag: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(path) = flag {
        return Some((path.to_path_buf(), true));
    }
    if let Some(path) = std::env::var_os("TM_CONFIG").filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    dirs::config_dir().map(|dir| (dir.join("tm").join("config.toml"), false))
}

/// Reads the config file, if there is one.
pub fn load(flag: Option<&Path>) -> Result<Loaded> {
    let Some((path, required)) = location(flag) else {
        return Ok(Loaded::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // The default place: no file there, or a folder this user may not look into (a service run as
        // another user with the same $HOME), is no config. A file there that cannot be read is an
        // error: its settings would be silently missing.
        Err(_) if !required && !path.try_exists().unwrap_or(false) => return Ok(Loaded::default()),
        Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
    };
    let config = parse(&text, &path)?;
    Ok(Loaded {
        path: Some(path),
        config,
    })
}

/// Parses a config file's text; errors name the file, line and column.
pub fn parse(text: &str, path: &Path) -> Result<Config> {
    let mut config: Config = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            bail!(
                "{}:{line}:{col}: {}",
                path.display(),
                e.message().trim_end()
            );
        }
    };
    // Where a key is, for the errors about its value: `path:line`.
    let at = |key: &str| match line_of(text, key) {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    };
    let check = |key: &str, value: &Option<String>, allowed: &[&str]| -> Result<()> {
        match value {
            Some(v) if !allowed.contains(&v.as_str()) => bail!(
                "{}: {key} = {v:?}: it is one of {}",
                at(key),
                allowed.join(", ")
            ),
            _ => Ok(()),
        }
    };
    check("bidi", &config.bidi, &["auto", "visual", "logical"])?;
    check("color", &config.color, &["auto", "always", "never"])?;
    for (key, min) in [
        ("lookup.min", config.lookup.min),
        ("pretranslate.min", config.pretranslate.min),
    ] {
        if min.is_some_and(|m| m > 100) {
            bail!("{}: {key} is a score, 0 to 100", at(key));
        }
    }
    if config.lookup.top == Some(0) {
        bail!("{}: lookup.top must be at least 1", at("lookup.top"));
    }
    for (origin, points) in &config.penalties {
        if !(1..=100).contains(points) {
            bail!(
                "{}: penalties.{origin} = {points}: a penalty is 1 to 100 points",
                at(&format!("penalties.{origin}"))
            );
        }
    }
    // Paths are the user's: `~` is the home folder, and a relative path is relative to the file.
    let base = path.parent().unwrap_or(Path::new("."));
    for p in [&mut config.memory, &mut config.style]
        .into_iter()
        .flatten()
    {
        *p = resolve(p, base);
    }
    Ok(config)
}

fn resolve(p: &Path, base: &Path) -> PathBuf {
    if let (Ok(rest), Some(home)) = (p.strip_prefix("~"), dirs::home_dir()) {
        return home.join(rest);
    }
    if p.is_relative() {
        base.join(p)
    } else {
        p.to_path_buf()
    }
}

/// The line (from 1) where `key` (`color`, `lookup.min`, `penalties.aligned`) is set: the first line
/// `key = ...` inside its table. A plain scan, enough for the files people write by hand.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (table, name) = match key.split_once('.') {
        Some((table, name)) => (table, name),
        None => ("", key),
    };
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = header.trim().to_string();
            continue;
        }
        let Some((k, _)) = line.split_once('=') else {
            continue;
        };
        if current == table && k.trim().trim_matches('"') == name {
            return Some(i + 1);
        }
    }
    None
}

/// The line and column (from 1, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_reads_and_paths_resolve_beside_it() {
        let text = r#"
memory = "news/memory.db"
user = "huda"
bidi = "visual"

[lookup]
min = 80
top = 3

[penalties]
aligned = 10
"mt-2024" = 25
"#;
        let c = parse(text, Path::new("/etc/tm/config.toml")).unwrap();
        assert_eq!(
            c.memory.as_deref(),
            Some(Path::new("/etc/tm/news/memory.db"))
        );
        assert_eq!(c.lookup.min, Some(80));
        assert_eq!(c.penalties["mt-2024"], 25);
        assert_eq!(c.pretranslate.min, None);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let err = |text: &str| parse(text, Path::new("c.toml")).unwrap_err().to_string();
        let e = err("user = \"huda\"\npenalites = 3\n");
        assert!(
            e.starts_with("c.toml:2:1: unknown field `penalites`"),
            "{e}"
        );
        let e = err("[lookup]\nmin = 80\nmax = 3\n");
        assert!(e.starts_with("c.toml:3:1: unknown field `max`"), "{e}");
        let e = err("[lookup]\nmin = \"high\"\n");
        assert!(e.starts_with("c.toml:2:7: invalid type"), "{e}");
        assert_eq!(
            err("user = \"x\"\nbidi = \"rtl\""),
            "c.toml:2: bidi = \"rtl\": it is one of auto, visual, logical"
        );
        assert_eq!(
            err("[penalties]\n\"mt-2024\" = 0"),
            "c.toml:2: penalties.mt-2024 = 0: a penalty is 1 to 100 points"
        );
        assert_eq!(
            err("[lookup]\n\nmin = 101"),
            "c.toml:3: lookup.min is a score, 0 to 100"
        );
    }
}
