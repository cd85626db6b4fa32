//! Opening inputs: files, directories, globs, stdin, compressed and rotated files (being written).
