//! The fwseen command line: clap options, subcommands and exit codes.
//!
//! Only this crate (and the daemon) touches files, sockets and the terminal; the library crates
//! below it take bytes and return values.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod analyzer_thread;
mod cmd_analyze;
mod cmd_explain;
mod cmd_parse;
pub mod common;
pub mod exit;
mod explain_line;
pub mod input;

/// What am I seeing in my firewall logs?
#[derive(Debug, Parser)]
#[command(name = "fwseen", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain a port, a port range, a service, an ICMP type or an address.
    Explain(cmd_explain::ExplainArgs),
    /// Read logs and print the normalised events.
    Parse(cmd_parse::ParseArgs),
    /// Read logs and report what they show.
    Analyze(cmd_analyze::AnalyzeArgs),
}

/// Runs fwseen with the process arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                exit::Exit::Error.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match &cli.command {
        Command::Explain(args) => cmd_explain::run(args),
        Command::Parse(args) => cmd_parse::run(args),
        Command::Analyze(args) => cmd_analyze::run(args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            if exit::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            // Writing to a closed stderr must not panic: the exit code still tells.
            let _ = writeln!(std::io::stderr(), "fwseen: {err:#}");
            exit::Exit::Error.into()
        }
    }
}
