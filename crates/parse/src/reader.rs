//! Placeholder: the record loop with accounting, being written.
