//! The detail pane's state: the document of the selected message, where it is scrolled to,
//! the search inside it, and the syntax colours that have arrived for it.

pub mod doc;
