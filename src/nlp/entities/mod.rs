//! Entities: the recognizer's mentions fixed up ([`fixups`]), grouped into entities
//! ([`group`](group())), and ranked by salience ([`salience`]).

pub mod fixups;
mod group;
pub mod salience;

pub use group::group;
