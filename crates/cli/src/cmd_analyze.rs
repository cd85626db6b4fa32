//! `fwseen analyze` (being written).

use crate::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {}

pub fn run(_args: &AnalyzeArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("fwseen analyze is not written yet")
}
