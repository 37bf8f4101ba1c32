//! The TBX reader of `tm names import` on arbitrary text: never a panic; every name accepted is written
//! back as TBX and read again to the same entries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|xml: &str| {
    let Ok(names) = tm::names::tbx::read(xml, "in.tbx") else {
        return;
    };
    let written = tm::names::tbx::write(&names);
    let again = tm::names::tbx::read(&written, "again.tbx")
        .unwrap_or_else(|e| panic!("written back unreadable: {e}\n{written}"));
    let key = |ns: &[tm::names::Name]| -> Vec<(Vec<String>, String, Vec<String>)> {
        ns.iter()
            .map(|n| (n.arabic.clone(), n.english.clone(), n.variants.clone()))
            .collect()
    };
    assert_eq!(key(&again), key(&names), "written back:\n{written}");
});
