//! `tm`: an Arabic→English translation memory.
pub mod display;
pub mod normalize;
