//! Placeholder: pcap and pcapng captures, being written.
