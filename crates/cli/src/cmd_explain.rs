//! `fwseen explain` (being written).

use crate::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {}

pub fn run(_args: &ExplainArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("fwseen explain is not written yet")
}
