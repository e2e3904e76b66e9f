//! Reusable pieces: number formatting, text wrapping, cards, pop-ups, the
//! savings-by-category bars and the generic evidence charts.

pub mod card;
pub mod category_bars;
pub mod evidence;
pub mod money;
pub mod popup;
pub mod text;
