//! Import without a file: units read from any byte stream (here a TMX held in memory, as a server or a
//! pipe would hand it over) go into a memory in one transaction, with errors named as for a file.
//!
//! ```sh
//! cargo run --example import_from_reader
//! ```

use std::path::Path;

use tm::formats::{read_units, Format, ReadOptions};
use tm::fuzzy::{LookupOptions, Matcher};
use tm::store::{ImportOptions, Store};

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="newsroom" creationtoolversion="1" datatype="plaintext" segtype="sentence"
          adminlang="en" srclang="ar" o-tmf="none"/>
  <body>
    <tu>
      <tuv xml:lang="ar"><seg>وصلت شحنة أسلحة إلى مدينة البوكمال قادمة من العراق.</seg></tuv>
      <tuv xml:lang="en"><seg>A weapons shipment reached the city of Al-Bukamal from Iraq.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ar"><seg>عقد قادة الفصائل اجتماعا في بغداد.</seg></tuv>
      <tuv xml:lang="en"><seg>Faction leaders held a meeting in Baghdad.</seg></tuv>
    </tu>
  </body>
</tmx>"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let read = ReadOptions::new("ar", "en");
    // Any `Read + Send`: a network body, standard input, a decompressor. The name stands for the file
    // in errors ("<newsroom>:7:12: ...") and is the units' origin when they name none.
    let name = Path::new("<newsroom>");
    let units = read_units(TMX.as_bytes(), name, Format::Tmx, &read)?;

    let mut store = Store::in_memory()?;
    let report = store.import_units(name, units, &read, &ImportOptions::default())?;
    println!("imported {} units ({} new)", report.units, report.added);

    let mut matcher = Matcher::new(&store, LookupOptions::default());
    for m in matcher.lookup("وصلت شحنة أسلحة إلى مدينة الميادين قادمة من العراق.", None)?
    {
        println!("{}% {}\n    {}", m.score, m.source, m.target);
    }

    // A broken stream is an error that names the stream and the place, and imports nothing.
    let broken = TMX.replace("</tu>\n    <tu>", "</tu>\n    <tuv>");
    let units = read_units(std::io::Cursor::new(broken), name, Format::Tmx, &read)?;
    let mut other = Store::in_memory()?;
    match other.import_units(name, units, &read, &ImportOptions::default()) {
        Ok(_) => println!("unexpected: the broken stream was imported"),
        Err(e) => println!("refused: {e}"),
    }
    println!(
        "units after the refused import: {}",
        other.stats()?.segments
    );
    Ok(())
}
