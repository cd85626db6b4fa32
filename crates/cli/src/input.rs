//! Opening inputs: files, directories, glob patterns and stdin; transparent decompression; rotated
//! log sets put in time order.
//!
//! Only the cli crate touches files. This module turns the command line's INPUT arguments into an
//! ordered list of [`InputSource`]s and opens each one as a plain byte stream, decompressed when
//! its first bytes say it is gzip (multi-member), bzip2, xz or zstd: the file name is never
//! trusted for that. The first [`HEAD_LEN`] decompressed bytes are read ahead and kept in
//! [`OpenedInput::head`] so that the format can be sniffed before the stream is read in full.
//!
//! Order: arguments are read in the order given; a directory is walked recursively in name order;
//! a glob pattern (one the shell did not expand, e.g. quoted) is expanded in name order. Then the
//! members of each rotated set (`kern.log.2.gz`, `kern.log.1`, `kern.log`, or dated
//! `kern.log-20240101`) are put oldest first, at the place where the set's first member was.
//!
//! Decompression runs on a thread of its own, so that it overlaps with parsing.
//!
//! Errors: an argument that names nothing, or an input that cannot be opened, is an
//! [`InputError`] in its place in the list; the caller reports it and goes on with the others
//! (like ripgrep), and exits with status 2 at the end.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

/// How many decompressed bytes are read ahead for format sniffing.
pub const HEAD_LEN: usize = 64 * 1024;

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSource {
    /// Standard input (`-`).
    Stdin,
    File(PathBuf),
}

impl InputSource {
    /// The name shown to the user: the path as given (or found), or `-` for stdin.
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Stdin => "-".to_string(),
            InputSource::File(path) => path.display().to_string(),
        }
    }

    /// The path as raw bytes (not necessarily UTF-8), for JSON output.
    pub fn path_bytes(&self) -> Vec<u8> {
        match self {
            InputSource::Stdin => b"-".to_vec(),
            InputSource::File(path) => os_str_bytes(path.as_os_str()),
        }
    }
}

#[cfg(unix)]
fn os_str_bytes(text: &OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    text.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_str_bytes(text: &OsStr) -> Vec<u8> {
    text.to_string_lossy().into_owned().into_bytes()
}

/// One input in reading order, and whether the command line named it (rather than a directory
/// walk or a glob finding it). Files that were only found may be passed over when they turn out
/// not to be logs; files that were named may not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandedInput {
    pub source: InputSource,
    pub named: bool,
}

impl ExpandedInput {
    fn named(source: InputSource) -> ExpandedInput {
        ExpandedInput {
            source,
            named: true,
        }
    }

    fn found(path: PathBuf) -> ExpandedInput {
        ExpandedInput {
            source: InputSource::File(path),
            named: false,
        }
    }
}

/// An input that could not be found or opened.
#[derive(Debug)]
pub struct InputError {
    /// The argument or path, as shown to the user.
    pub name: String,
    /// The raw bytes of the name, for JSON output.
    pub name_bytes: Vec<u8>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl InputError {
    fn new(name: &OsStr, message: impl Into<String>) -> InputError {
        InputError {
            name: name.to_string_lossy().into_owned(),
            name_bytes: os_str_bytes(name),
            message: message.into(),
        }
    }
}

/// True when an argument holds glob metacharacters.
fn has_glob_meta(text: &OsStr) -> bool {
    text.to_string_lossy().contains(['*', '?', '['])
}

/// Expands INPUT arguments into sources in reading order; arguments that name nothing become
/// errors in their place.
pub fn expand_inputs(arguments: &[OsString]) -> Vec<Result<ExpandedInput, InputError>> {
    let mut expanded = Vec::new();
    for argument in arguments {
        if argument == "-" {
            expanded.push(Ok(ExpandedInput::named(InputSource::Stdin)));
            continue;
        }
        let path = Path::new(argument);
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                match walk_directory(path, &mut files) {
                    Ok(()) => expanded.extend(files.into_iter().map(Ok)),
                    Err(err) => expanded.push(Err(InputError::new(argument, err.to_string()))),
                }
            }
            Ok(_) => expanded.push(Ok(ExpandedInput::named(InputSource::File(
                path.to_path_buf(),
            )))),
            Err(err) if err.kind() == io::ErrorKind::NotFound && has_glob_meta(argument) => {
                expanded.extend(expand_glob(argument));
            }
            Err(err) => expanded.push(Err(InputError::new(argument, err.to_string()))),
        }
    }
    order_rotated_sets(expanded)
}

/// Expands one glob pattern, in name order; directories it matches are walked.
fn expand_glob(pattern: &OsStr) -> Vec<Result<ExpandedInput, InputError>> {
    let text = pattern.to_string_lossy();
    let paths = match glob::glob(&text) {
        Ok(paths) => paths,
        Err(err) => return vec![Err(InputError::new(pattern, format!("bad pattern: {err}")))],
    };
    let mut found = Vec::new();
    for entry in paths {
        match entry {
            Ok(path) if path.is_dir() => {
                let mut files = Vec::new();
                match walk_directory(&path, &mut files) {
                    Ok(()) => found.extend(files.into_iter().map(Ok)),
                    Err(err) => found.push(Err(InputError::new(path.as_os_str(), err.to_string()))),
                }
            }
            Ok(path) => found.push(Ok(ExpandedInput::found(path))),
            Err(err) => found.push(Err(InputError::new(
                err.path().as_os_str(),
                err.error().to_string(),
            ))),
        }
    }
    if found.is_empty() {
        found.push(Err(InputError::new(
            pattern,
            "no file matches this pattern",
        )));
    }
    found
}

/// Collects the regular files under `directory`, recursively, in name order. Symbolic links to
/// files are followed; symbolic links to directories are not (so a link loop cannot recurse).
fn walk_directory(directory: &Path, files: &mut Vec<ExpandedInput>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(directory)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for path in entries {
        let Ok(link_meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if link_meta.is_dir() {
            walk_directory(&path, files)?;
        } else if fs::metadata(&path).is_ok_and(|meta| meta.is_file()) {
            files.push(ExpandedInput::found(path));
        }
    }
    Ok(())
}

/// How old a member of a rotated set is: its sort key puts the oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RotationAge {
    /// `name.N`: a higher N is older, so the key is reversed.
    Numbered(std::cmp::Reverse<u64>),
    /// `name-YYYYMMDD` (or with an hour, `-YYYYMMDDHH`): an earlier date is older.
    Dated(u64),
    /// The live file itself.
    Live,
}

/// Splits a file name into the name of its rotated set and its age. The compression suffix is
/// ignored: `kern.log.2.gz` is member 2 of `kern.log`.
fn rotation_key(file_name: &str) -> (&str, RotationAge) {
    let mut name = file_name;
    for suffix in [".gz", ".bz2", ".xz", ".zst", ".zstd"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            name = stripped;
            break;
        }
    }
    if let Some(position) = name.rfind(['.', '-']) {
        let (base, tail) = (&name[..position], &name[position + 1..]);
        let separator = name.as_bytes()[position];
        if !base.is_empty() && !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            let is_date = (tail.len() == 8 || tail.len() == 10) && tail.starts_with(['1', '2']);
            if is_date {
                if let Ok(date) = tail.parse() {
                    return (base, RotationAge::Dated(date));
                }
            } else if separator == b'.' && tail.len() <= 6 {
                if let Ok(number) = tail.parse() {
                    return (base, RotationAge::Numbered(std::cmp::Reverse(number)));
                }
            }
        }
    }
    (name, RotationAge::Live)
}

/// Puts the members of each rotated set oldest first, at the position of the set's first member;
/// everything else keeps its place.
fn order_rotated_sets(
    inputs: Vec<Result<ExpandedInput, InputError>>,
) -> Vec<Result<ExpandedInput, InputError>> {
    type SetKey = (PathBuf, String);
    let set_of = |source: &InputSource| -> Option<(SetKey, RotationAge)> {
        let InputSource::File(path) = source else {
            return None;
        };
        let file_name = path.file_name()?.to_str()?;
        let (base, age) = rotation_key(file_name);
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Some(((parent, base.to_string()), age))
    };
    // Gather the members of every set, then emit each set when its first member is met.
    let mut members: std::collections::HashMap<SetKey, Vec<(RotationAge, usize)>> =
        std::collections::HashMap::new();
    let keys: Vec<Option<(SetKey, RotationAge)>> = inputs
        .iter()
        .map(|item| item.as_ref().ok().and_then(|input| set_of(&input.source)))
        .collect();
    for (index, key) in keys.iter().enumerate() {
        if let Some((set, age)) = key {
            members.entry(set.clone()).or_default().push((*age, index));
        }
    }
    let mut slots: Vec<Option<Result<ExpandedInput, InputError>>> =
        inputs.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    for (index, key) in keys.iter().enumerate() {
        match key {
            None => ordered.extend(slots[index].take()),
            Some((set, _)) => {
                if let Some(mut group) = members.remove(set) {
                    // A stable sort keeps duplicates (the same file given twice) in input order.
                    group.sort_by_key(|(age, _)| *age);
                    for (_, member) in group {
                        ordered.extend(slots[member].take());
                    }
                }
            }
        }
    }
    ordered
}

/// The compression an input turned out to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Compression {
    /// Recognises a compressed stream by its magic bytes.
    pub fn from_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The codec's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Counts the bytes read through it (the compressed bytes a decoder has taken).
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A decoder whose errors say which codec failed and how many compressed bytes it had read by
/// then (for a truncated file, its length: where it was cut). The error kind is kept.
struct DecoderErrors {
    decoder: Box<dyn Read + Send>,
    compression: Compression,
    compressed_read: Arc<AtomicU64>,
}

impl Read for DecoderErrors {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.decoder.read(buf).map_err(|err| {
            if err.kind() == io::ErrorKind::Interrupted {
                return err;
            }
            io::Error::new(
                err.kind(),
                format!(
                    "{} data truncated or corrupt ({} compressed bytes read): {err}",
                    self.compression.name(),
                    self.compressed_read.load(Ordering::Relaxed)
                ),
            )
        })
    }
}

/// An input opened for reading.
pub struct OpenedInput {
    /// The whole decompressed stream, from its first byte (the head included).
    pub reader: Box<dyn Read + Send>,
    /// The first (up to [`HEAD_LEN`]) decompressed bytes, for sniffing. Empty for an empty
    /// input, and also for a compressed input whose decoder failed before its first byte (a file
    /// cut right after its magic bytes): the error is then the first thing `reader` returns.
    pub head: Vec<u8>,
    pub compression: Compression,
    /// The file's modification time (seconds since the epoch), for year-less log lines.
    pub modified_unix_seconds: Option<i64>,
}

/// Reads until `buffer` holds `limit` bytes or the reader ends. A read error is returned together
/// with what was read before it.
fn read_head(reader: &mut dyn Read, limit: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = vec![0u8; limit];
    let mut filled = 0;
    while filled < limit {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                head.truncate(filled);
                return (head, Some(err));
            }
        }
    }
    head.truncate(filled);
    (head, None)
}

/// A reader that fails once with a stored error, then reads on from `rest`.
struct PendingError<R> {
    error: Option<io::Error>,
    rest: R,
}

impl<R: Read> Read for PendingError<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.error.take() {
            Some(err) => Err(err),
            None => self.rest.read(buf),
        }
    }
}

/// The size of the blocks a [`DecompressionThread`] hands over.
const THREAD_BLOCK_LEN: usize = 1 << 20;

/// A reader that runs another reader (a decompressor) on its own thread and hands its output
/// over in blocks through a bounded channel; used blocks go back to be filled again, so memory
/// stays at a few blocks. When this reader is dropped, the thread ends at its next send.
struct DecompressionThread {
    filled: Receiver<io::Result<Vec<u8>>>,
    empty: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    position: usize,
    done: bool,
}

impl DecompressionThread {
    fn spawn(mut inner: Box<dyn Read + Send>) -> DecompressionThread {
        let (filled_sender, filled) = mpsc::sync_channel::<io::Result<Vec<u8>>>(2);
        let (empty, empty_receiver) = mpsc::sync_channel::<Vec<u8>>(4);
        std::thread::spawn(move || loop {
            let mut block = empty_receiver
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(THREAD_BLOCK_LEN));
            block.resize(THREAD_BLOCK_LEN, 0);
            let (length, error) = {
                let mut length = 0;
                let mut error = None;
                while length < block.len() {
                    match inner.read(&mut block[length..]) {
                        Ok(0) => break,
                        Ok(n) => length += n,
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                        Err(err) => {
                            error = Some(err);
                            break;
                        }
                    }
                }
                (length, error)
            };
            block.truncate(length);
            let at_end = length < THREAD_BLOCK_LEN;
            if length > 0 && filled_sender.send(Ok(block)).is_err() {
                return;
            }
            if let Some(err) = error {
                let _ = filled_sender.send(Err(err));
                return;
            }
            if at_end {
                return;
            }
        });
        DecompressionThread {
            filled,
            empty,
            current: Vec::new(),
            position: 0,
            done: false,
        }
    }
}

impl Read for DecompressionThread {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.current.len() {
            if self.done {
                return Ok(0);
            }
            match self.filled.recv() {
                Ok(Ok(block)) => {
                    let used = std::mem::replace(&mut self.current, block);
                    let _ = self.empty.try_send(used);
                    self.position = 0;
                }
                Ok(Err(err)) => {
                    self.done = true;
                    return Err(err);
                }
                // The thread finished: the end of the input.
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.current.len() - self.position);
        buf[..n].copy_from_slice(&self.current[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

/// Opens one input: the file (or stdin), decompressed by its magic bytes, with its head read
/// ahead. Fails only when the input cannot be opened or its first bytes cannot be read; a read
/// error further in (a truncated gzip) surfaces while reading [`OpenedInput::reader`].
pub fn open_input(source: &InputSource) -> io::Result<OpenedInput> {
    let (mut raw, modified_unix_seconds): (Box<dyn Read + Send>, Option<i64>) = match source {
        InputSource::Stdin => (Box::new(io::stdin()), None),
        InputSource::File(path) => {
            let file = File::open(path)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map(|age| age.as_secs() as i64);
            (Box::new(file), modified)
        }
    };
    let (raw_head, raw_error) = read_head(&mut raw, HEAD_LEN);
    if raw_head.is_empty() {
        if let Some(err) = raw_error {
            return Err(err);
        }
    }
    let compression = Compression::from_magic(&raw_head);
    // A read error after the first bytes is raised again when the stream reaches it.
    let rest = PendingError {
        error: raw_error,
        rest: raw,
    };
    if compression == Compression::None {
        // The raw head is the head: no decoder.
        let head = raw_head.clone();
        return Ok(OpenedInput {
            reader: Box::new(Cursor::new(raw_head).chain(rest)),
            head,
            compression,
            modified_unix_seconds,
        });
    }
    let compressed_read = Arc::new(AtomicU64::new(0));
    let raw_stream = CountingReader {
        inner: Cursor::new(raw_head).chain(rest),
        count: Arc::clone(&compressed_read),
    };
    let decoder: Box<dyn Read + Send> = match compression {
        // `None` returned above; it shares the gzip arm only to keep the match exhaustive.
        Compression::None | Compression::Gzip => {
            Box::new(flate2::read::MultiGzDecoder::new(raw_stream))
        }
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw_stream)),
        Compression::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(raw_stream)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(raw_stream)?),
    };
    let mut decoded = DecoderErrors {
        decoder,
        compression,
        compressed_read,
    };
    // A stream cut right after its magic bytes decodes to nothing: the head is empty and the
    // decoder's error waits in `reader`, where the caller must look for it (see
    // `OpenedInput::head`).
    let (head, head_error) = read_head(&mut decoded, HEAD_LEN);
    // Decompression runs on its own thread, beside the parsing.
    let rest = DecompressionThread::spawn(Box::new(PendingError {
        error: head_error,
        rest: decoded,
    }));
    let reader = Cursor::new(head.clone()).chain(rest);
    Ok(OpenedInput {
        reader: Box::new(reader),
        head,
        compression,
        modified_unix_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fwseen-input-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(inputs: &[Result<ExpandedInput, InputError>]) -> Vec<String> {
        inputs
            .iter()
            .map(|item| match item.as_ref().map(|input| &input.source) {
                Ok(InputSource::File(path)) => {
                    path.file_name().unwrap().to_string_lossy().into_owned()
                }
                Ok(InputSource::Stdin) => "-".into(),
                Err(err) => format!("error:{}", err.message),
            })
            .collect()
    }

    #[test]
    fn rotation_keys() {
        use std::cmp::Reverse;
        assert_eq!(rotation_key("kern.log"), ("kern.log", RotationAge::Live));
        assert_eq!(
            rotation_key("kern.log.2.gz"),
            ("kern.log", RotationAge::Numbered(Reverse(2)))
        );
        assert_eq!(
            rotation_key("kern.log-20240101.xz"),
            ("kern.log", RotationAge::Dated(20240101))
        );
        assert_eq!(
            rotation_key("messages-2024010112"),
            ("messages", RotationAge::Dated(2024010112))
        );
        assert_eq!(rotation_key("ufw-7.log"), ("ufw-7.log", RotationAge::Live));
    }

    #[test]
    fn rotated_sets_are_read_oldest_first() {
        let dir = temp_dir("rotation");
        for name in [
            "kern.log",
            "kern.log.1",
            "kern.log.10.gz",
            "kern.log.2.gz",
            "messages-20240102",
            "messages-20231231",
            "other.log",
        ] {
            fs::write(dir.join(name), b"x\n").unwrap();
        }
        let expanded = expand_inputs(&[dir.clone().into_os_string()]);
        assert_eq!(
            names(&expanded),
            [
                "kern.log.10.gz",
                "kern.log.2.gz",
                "kern.log.1",
                "kern.log",
                "messages-20231231",
                "messages-20240102",
                "other.log"
            ]
        );
        // Arguments given in shell order are reordered the same way.
        let arguments: Vec<OsString> = ["kern.log", "kern.log.1", "kern.log.2.gz"]
            .iter()
            .map(|n| dir.join(n).into_os_string())
            .collect();
        assert_eq!(
            names(&expand_inputs(&arguments)),
            ["kern.log.2.gz", "kern.log.1", "kern.log"]
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn globs_directories_stdin_and_missing_inputs() {
        let dir = temp_dir("glob");
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("a.log"), b"a\n").unwrap();
        fs::write(dir.join("b.txt"), b"b\n").unwrap();
        fs::write(dir.join("sub/c.log"), b"c\n").unwrap();
        let pattern = dir.join("*.log").into_os_string();
        let missing = dir.join("missing.log").into_os_string();
        let no_match = dir.join("*.nothing").into_os_string();
        let expanded = expand_inputs(&[
            pattern,
            "-".into(),
            missing,
            no_match,
            dir.join("sub").into_os_string(),
        ]);
        let listed = names(&expanded);
        assert_eq!(listed[0], "a.log");
        assert_eq!(listed[1], "-");
        assert!(listed[2].starts_with("error:"), "{listed:?}");
        assert_eq!(listed[3], "error:no file matches this pattern");
        assert_eq!(listed[4], "c.log");
        assert!(expanded[1].as_ref().unwrap().named, "stdin was named");
        assert!(!expanded[0].as_ref().unwrap().named, "a glob finds");
        let all = expand_inputs(&[dir.clone().into_os_string()]);
        assert_eq!(names(&all), ["a.log", "b.txt", "c.log"]);
        let named = expand_inputs(&[dir.join("b.txt").into_os_string()]);
        assert!(named[0].as_ref().unwrap().named);
        fs::remove_dir_all(&dir).unwrap();
    }

    fn read_all(source: &InputSource) -> (Compression, Vec<u8>, Vec<u8>) {
        let mut opened = open_input(source).unwrap();
        let mut all = Vec::new();
        opened.reader.read_to_end(&mut all).unwrap();
        (opened.compression, opened.head, all)
    }

    #[test]
    fn compressed_inputs_are_decoded_by_magic() {
        let dir = temp_dir("compression");
        // Enough lines that the head is only a part of the stream.
        let plain: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i} of the plain fixture\n").into_bytes())
            .collect();
        assert!(plain.len() > HEAD_LEN);

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain[..1000]).unwrap();
        let mut gz_bytes = gz.finish().unwrap();
        // A second gzip member, as `cat a.gz b.gz` makes.
        let mut gz2 = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz2.write_all(&plain[1000..]).unwrap();
        gz_bytes.extend(gz2.finish().unwrap());

        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&plain).unwrap();
        let bz_bytes = bz.finish().unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 1);
        xz.write_all(&plain).unwrap();
        let xz_bytes = xz.finish().unwrap();
        let zst_bytes = zstd::encode_all(&plain[..], 1).unwrap();

        // Misleading names: detection is by content.
        for (name, bytes, expected) in [
            ("plain.gz", plain.clone(), Compression::None),
            ("a.log", gz_bytes, Compression::Gzip),
            ("b.log", bz_bytes, Compression::Bzip2),
            ("c.log", xz_bytes, Compression::Xz),
            ("d.log", zst_bytes, Compression::Zstd),
        ] {
            let path = dir.join(name);
            fs::write(&path, bytes).unwrap();
            let (compression, head, all) = read_all(&InputSource::File(path));
            assert_eq!(compression, expected, "{name}");
            assert_eq!(all, plain, "{name}");
            assert_eq!(head, plain[..HEAD_LEN], "{name}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn truncated_gzip_is_a_read_error_after_its_data() {
        let dir = temp_dir("truncated");
        let plain: Vec<u8> = (0..5000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&plain).unwrap();
        let bytes = gz.finish().unwrap();
        let path = dir.join("cut.gz");
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let mut opened = open_input(&InputSource::File(path)).unwrap();
        let mut all = Vec::new();
        let err = opened.reader.read_to_end(&mut all).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(plain.starts_with(&all));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unopenable_input_is_an_error() {
        let missing = InputSource::File(PathBuf::from("/nonexistent/fwseen/x.log"));
        assert!(open_input(&missing).is_err());
    }
}
