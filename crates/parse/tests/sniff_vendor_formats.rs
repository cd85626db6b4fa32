//! Format detection for the CEF, SonicWall, Sophos, Check Point and Huawei formats against every
//! fixture in tests/data: each of these files is detected as its own format, no other fixture is
//! detected as one of them, and their `looks_like` functions claim no line of another format.

use std::path::{Path, PathBuf};

use fwseen_parse::{cef, checkpoint, huawei, sniff, sonicwall, sophos, FormatKind};

/// The fixture directories of the formats under test, with their format.
const OWN_DIRECTORIES: [(&str, FormatKind); 5] = [
    ("cef", FormatKind::Cef),
    ("sonicwall", FormatKind::SonicWall),
    ("sophos", FormatKind::SophosXg),
    ("checkpoint", FormatKind::CheckPoint),
    ("huawei", FormatKind::HuaweiUsg),
];

fn data_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// Every fixture file, with the name of its directory.
fn fixtures() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for directory in std::fs::read_dir(data_directory()).unwrap() {
        let directory = directory.unwrap().path();
        if !directory.is_dir() {
            continue;
        }
        let name = directory
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for file in std::fs::read_dir(&directory).unwrap() {
            let file = file.unwrap().path();
            if file.is_file() {
                files.push((name.clone(), file));
            }
        }
    }
    files.sort();
    files
}

fn own_kind(directory: &str) -> Option<FormatKind> {
    OWN_DIRECTORIES
        .iter()
        .find(|(name, _)| *name == directory)
        .map(|(_, kind)| *kind)
}

fn claimed_by_new_formats(line: &[u8]) -> Option<&'static str> {
    if cef::looks_like(line) {
        Some("cef")
    } else if sonicwall::looks_like(line) {
        Some("sonicwall")
    } else if sophos::looks_like(line) {
        Some("sophos")
    } else if checkpoint::looks_like(line) {
        Some("checkpoint")
    } else if huawei::looks_like(line) {
        Some("huawei")
    } else {
        None
    }
}

#[test]
fn every_fixture_is_detected_as_its_own_format() {
    let mut checked = 0;
    for (directory, path) in fixtures() {
        let data = std::fs::read(&path).unwrap();
        let head = &data[..data.len().min(64 * 1024)];
        let detected = sniff(head);
        match own_kind(&directory) {
            Some(kind) => {
                assert_eq!(detected, Some(kind), "{}", path.display());
                checked += 1;
            }
            None => assert!(
                !OWN_DIRECTORIES
                    .iter()
                    .any(|(_, kind)| detected == Some(*kind)),
                "{} detected as {detected:?}",
                path.display()
            ),
        }
    }
    assert!(checked >= OWN_DIRECTORIES.len());
}

#[test]
fn no_line_of_another_format_is_claimed() {
    let mut lines_checked = 0;
    for (directory, path) in fixtures() {
        if own_kind(&directory).is_some() || directory == "pcap" {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        for (number, line) in data.split(|&b| b == b'\n').enumerate() {
            lines_checked += 1;
            assert_eq!(
                claimed_by_new_formats(line),
                None,
                "{}:{}",
                path.display(),
                number + 1
            );
        }
    }
    assert!(lines_checked > 100);
}
