//! The HTML report in a real browser: headless Chromium loads the page written for the shipped
//! sample, and the test checks that it renders (the DOM holds the findings) without a single
//! console message (no script error, no blocked network fetch).
//!
//! Needs `chromium` on the PATH (scripts/test installs Debian's package). Without it the test
//! fails with a clear message, unless FWSEEN_SKIP_BROWSER=1 is set.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::repo;

/// The Chromium binary, or None when the test may be skipped.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(output) = Command::new(name).arg("--version").output() {
            if output.status.success() {
                return Some(PathBuf::from(name));
            }
        }
    }
    if std::env::var_os("FWSEEN_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!("chromium not found; skipped because FWSEEN_SKIP_BROWSER=1");
        return None;
    }
    panic!(
        "chromium is not installed: install it (apt-get install -y chromium) or set \
         FWSEEN_SKIP_BROWSER=1 to skip the browser test"
    );
}

/// Loads `page` headless; returns the DOM after scripts ran, and the console lines.
fn load(browser: &Path, page: &Path, work: &Path) -> (String, Vec<String>) {
    let profile = work.join("profile");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-sync",
            "--disable-component-update",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let console: Vec<String> = stderr
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .map(str::to_string)
        .collect();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
    )
}

#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        return;
    };
    let work = common::temp_dir("browser", "report");

    // First make sure the console check can fail: a page with a script error must be caught.
    let broken = work.join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><p>x</p><script>throw new Error('deliberate');</script></body></html>",
    )
    .unwrap();
    let (_, console) = load(&browser, &broken, &work.join("broken"));
    assert!(
        console.iter().any(|line| line.contains("deliberate")),
        "the console check does not see script errors: {console:?}"
    );

    for lang in ["en", "zh-Hant"] {
        let page = work.join(format!("report-{lang}.html"));
        let output = Command::new(env!("CARGO_BIN_EXE_fwseen"))
            .args(["analyze", "--json", "--lang", lang, "--html"])
            .arg(&page)
            .arg("samples/home-router.log")
            .current_dir(repo())
            .output()
            .expect("fwseen runs");
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let (dom, console) = load(&browser, &page, &work.join(lang));
        assert!(
            console.is_empty(),
            "console messages for {lang}: {console:#?}"
        );
        assert!(
            dom.contains("compromise.trojan-outbound"),
            "findings not rendered"
        );
        assert!(dom.contains("<details class=\"finding\""));
        assert!(dom.contains("<svg"), "charts not rendered");
        assert!(dom.contains(&format!("lang=\"{lang}\"")));
    }

    // The page's own script: filter the findings, then expand what is shown. A test script
    // appended to a copy of the page drives it and writes what it sees into the DOM.
    let page = work.join("report-en.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let probe = "<script>\
        var box = document.getElementById('filter');\
        box.value = 'compromise.trojan-outbound';\
        box.dispatchEvent(new Event('input'));\
        document.getElementById('expand-all').click();\
        var items = document.querySelectorAll('details.finding');\
        var visible = 0, open = 0;\
        for (var i = 0; i < items.length; i++) {\
          if (items[i].style.display !== 'none') { visible++; }\
          if (items[i].open) { open++; }\
        }\
        document.body.setAttribute('data-probe', visible + ',' + open + ',' + items.length + ',' +\
          document.getElementById('shown').textContent);\
        </script></body>";
    let driven = work.join("driven.html");
    std::fs::write(&driven, html.replacen("</body>", probe, 1)).unwrap();
    let (dom, console) = load(&browser, &driven, &work.join("driven"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    let start = dom.find("data-probe=\"").expect("the probe ran") + "data-probe=\"".len();
    let probe: Vec<&str> = dom[start..dom[start..].find('"').unwrap() + start]
        .split(',')
        .collect();
    let total: usize = probe[2].parse().unwrap();
    assert!(total > 10, "{probe:?}");
    assert_eq!(probe[0], "1", "the filter leaves one finding: {probe:?}");
    assert_eq!(
        probe[1], "1",
        "expand all opens only what is shown: {probe:?}"
    );
    assert_eq!(probe[3], format!("1 / {total}"));
}
