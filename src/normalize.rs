//! Arabic folding for matching.
pub fn normalize(s: &str) -> String {
    s.to_string()
}
