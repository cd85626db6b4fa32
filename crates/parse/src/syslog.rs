//! Placeholder: syslog framing (RFC 3164, RFC 5424, journalctl, dmesg), being written.
