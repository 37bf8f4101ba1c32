//! Terminal display: bidi policy and tables.
