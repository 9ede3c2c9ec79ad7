//! Short excerpts of the input for messages: errors and faults quote what they found, but
//! never echo large parts of the input back.

/// At most `max` characters of `s`, with an ellipsis when cut, so that errors never echo
/// large parts of the input back.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((cut, _)) => format!("{}...", &s[..cut]),
    }
}
