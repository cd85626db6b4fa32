//! fwseen's knowledge base (being written; API in /work/notes/KB-API.md).
