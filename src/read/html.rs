//! HTML input: the main text of a page, without its markup and boilerplate
//! (navigation, share buttons, footers, sidebars), so that scores and
//! offsets refer to the article a reader sees.
//!
//! Extraction is left to `dom_smoothie`, a pure-Rust port of Mozilla's
//! readability.js (the algorithm behind Firefox's Reader View), MIT-licensed
//! and maintained with regular releases. It was chosen over `html2text`
//! (which renders every element, navigation included, so boilerplate would
//! be scored) and over the older `readability` crate (unmaintained, pulls in
//! an HTTP client). The text it gives (its "formatted" mode: one paragraph
//! per block, blank lines between) goes through the same normalisation as
//! any other document, and every offset of the outputs refers to it
//! (`--write-text DIR` writes it out).

use dom_smoothie::{Config, Readability, ReadabilityError, TextMode};

/// Whole lines that pages leave inside the article body and that are no
/// part of it: ad slots and their labels. Compared after trimming,
/// ignoring case. Kept short on purpose: a line a writer could have
/// written (e.g. "Read more") is not dropped.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "- advertisement -",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading the main story",
    "sponsored content",
];

/// The main text of an HTML page or fragment. A page with no text at all
/// gives an empty string; the error is for a page readability refuses
/// (e.g. too many elements).
pub fn extract_text(html: &str) -> Result<String, String> {
    if html.trim().is_empty() {
        return Ok(String::new());
    }
    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let mut readability =
        Readability::new(html, None, Some(config)).map_err(|e| format!("cannot read the HTML: {e}"))?;
    let text = match readability.parse() {
        Ok(article) => article.text_content.to_string(),
        // Nothing that looks like text (an empty body, markup only).
        Err(ReadabilityError::GrabFailed) => String::new(),
        Err(e) => return Err(format!("cannot extract the text of the HTML: {e}")),
    };
    Ok(drop_boilerplate(&text))
}

/// The text without [`BOILERPLATE_LINES`], with runs of blank lines as one
/// blank line and no blank lines at either end.
fn drop_boilerplate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if BOILERPLATE_LINES.iter().any(|b| trimmed.eq_ignore_ascii_case(b)) {
            continue;
        }
        if trimmed.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_and_ad_labels_are_dropped_and_paragraphs_kept() {
        let page =
            "<html><head><title>T</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>\
            <article><h1>Vote delayed</h1><p>The council may delay the vote on the budget, officials said on Monday, \
            and critics argue that the plan is far too small for a town that keeps growing every year.</p>\
            <p>Advertisement</p><p>Perhaps the vote will come next month, the mayor said after a long meeting \
            in which residents and shop owners asked many questions about the repairs.</p></article>\
            <footer>Copyright 2026 Example News</footer></body></html>";
        let text = extract_text(page).unwrap();
        assert!(text.contains("The council may delay the vote"), "{text}");
        assert!(text.contains("\n\nPerhaps the vote"), "{text}");
        for gone in ["Home", "World", "Advertisement", "Copyright", "<p>"] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
    }

    #[test]
    fn fragments_and_empty_pages() {
        assert_eq!(extract_text("<p>The plan <b>may</b> fail.</p>").unwrap(), "The plan may fail.");
        assert_eq!(extract_text("").unwrap(), "");
        assert_eq!(extract_text("<html><body></body></html>").unwrap(), "");
        assert_eq!(drop_boilerplate("\n\na\n\n\n\nADVERTISEMENT\n\nb\n\n"), "a\n\nb");
    }
}
