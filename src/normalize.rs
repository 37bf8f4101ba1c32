//! Arabic folding for matching.
