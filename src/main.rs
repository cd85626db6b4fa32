//! The `fwseen` binary: everything lives in the `fwseen-cli` crate so that it can be tested.

fn main() -> std::process::ExitCode {
    fwseen_cli::main()
}
