//! `fwseen parse` (being written).

use crate::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct ParseArgs {}

pub fn run(_args: &ParseArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("fwseen parse is not written yet")
}
