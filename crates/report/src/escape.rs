//! Escaping of untrusted text for terminals, JSON, CSV and HTML (being written).
