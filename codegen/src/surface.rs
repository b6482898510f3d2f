//! A reviewable summary of the generated API: one line per operation and per model.
