//! The HTML report (being written).

use crate::model::Analysis;

/// Renders the HTML report.
pub fn render(_analysis: &Analysis<'_>) -> String {
    String::new()
}
