"""Shared helpers for synthesizing the tests/data/patterns fixtures (netfilter, Windows, Zeek)."""
import datetime as dt
import random

UTC = dt.timezone.utc
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def t(s):
    """'2022-05-15 00:00:15' (UTC) -> datetime."""
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def rfc3164(when):
    return f"{MONTHS[when.month - 1]} {when.day:2d} {when:%H:%M:%S}"


class Kernel:
    """A host whose kernel writes netfilter lines: the syslog host name and the boot time, so the
    bracketed uptime stamp grows with the wall clock."""

    def __init__(self, host, boot, rng):
        self.host = host
        self.boot = boot
        self.rng = rng

    def header(self, when):
        # the kernel stamp carries the microseconds that syslog's stamp drops
        us = (when - self.boot) // dt.timedelta(microseconds=1)
        return f"{rfc3164(when)} {self.host} kernel: [{us // 1_000_000:5d}.{us % 1_000_000:06d}] "


def ip_part(src, dst, length, ttl, ipid, df=True, tos=0x00):
    # the kernel prints the TOS byte as its TOS bits (0x1E) and its precedence bits (0xE0)
    return (f"SRC={src} DST={dst} LEN={length} TOS=0x{tos & 0x1E:02X} PREC=0x{tos & 0xE0:02X} TTL={ttl} "
            f"ID={ipid} {'DF ' if df else ''}")


def tcp_part(spt, dpt, window, flags="SYN", seq=None):
    seqs = f"SEQ={seq} ACK=0 " if seq is not None else ""
    return f"PROTO=TCP SPT={spt} DPT={dpt} {seqs}WINDOW={window} RES=0x00 {flags} URGP=0 "


def udp_part(spt, dpt, udp_len):
    return f"PROTO=UDP SPT={spt} DPT={dpt} LEN={udp_len} "


def icmp_part(icmp_type, code, ident=None, seq=None):
    s = f"PROTO=ICMP TYPE={icmp_type} CODE={code} "
    if ident is not None:
        s += f"ID={ident} SEQ={seq} "
    return s


def nf_line(kernel, when, prefix, iface_in, iface_out, mac, ip, proto, extra=""):
    mac_part = f"MAC={mac} " if mac else ""
    return (kernel.header(when) + f"{prefix}IN={iface_in} OUT={iface_out} {extra}{mac_part}"
            + ip + proto).rstrip()


def mac_field(dst_mac, src_mac):
    return f"{dst_mac}:{src_mac}:08:00"


class Stack:
    """A sending host's TCP/IP stack as a firewall sees it: TTL on arrival, window, SYN length,
    DF, IP ID behaviour, ephemeral port range."""

    def __init__(self, rng, ttl, window, syn_len, df=True, ports=(32768, 60999), id_mode="random"):
        self.rng = rng
        self.ttl = ttl
        self.window = window
        self.syn_len = syn_len
        self.df = df
        self.ports = ports
        self.id_mode = id_mode
        self.next_id = rng.randrange(1, 65535)

    def ipid(self):
        if self.id_mode == "random":
            return self.rng.randrange(1, 65536)
        if self.id_mode == "zero":
            return 0
        if self.id_mode == "global":  # Windows: one counter for every packet the host sends
            self.next_id = (self.next_id + self.rng.randrange(1, 9)) % 65536
            return self.next_id
        return int(self.id_mode)

    def port(self):
        return self.rng.randrange(self.ports[0], self.ports[1] + 1)


def random_stack(rng):
    """A random internet scanner's or bot's stack, for lone background probes."""
    kind = rng.choice(["linux", "linux", "windows", "raw", "raw", "bsd"])
    if kind == "linux":
        return Stack(rng, 64 - rng.randrange(8, 26), rng.choice([29200, 64240, 14600, 65535]), 60)
    if kind == "windows":
        return Stack(rng, 128 - rng.randrange(8, 24), rng.choice([8192, 64240, 65535]), 52,
                     ports=(49152, 65535), id_mode="global")
    if kind == "bsd":
        return Stack(rng, 64 - rng.randrange(8, 20), 65535, 64, ports=(49152, 65535))
    # raw-socket scanners (masscan-like): no DF, short SYN, window 1024 or 65535
    return Stack(rng, 255 - rng.randrange(10, 30), rng.choice([1024, 65535, 29200]),
                 rng.choice([40, 44]), df=False, ports=(1024, 65535))


# Ports that internet background probes hit, none of them a trojan, ident, proxy-theme or UDP
# reflector port, so a lone probe of one of them is just a lone probe.
BACKGROUND_PORTS = [22, 23, 80, 443, 3389, 445, 5900, 1433, 3306, 8443, 2323, 81, 8088, 25,
                    21, 6379, 9200, 5432, 7547, 8291, 2375, 6443, 9000, 10000, 4443, 5985, 8081,
                    37215, 2222, 1521, 502, 8545, 5000, 3000, 9090, 8009]


def background_probes(kernel, rng, sources, dsts, start, end, prefix, mac, iface="eth0",
                      out="", per_port_max=2, ports=None):
    """Lone probes: each source sends 1 or 2 SYNs (a second one is a retransmission or another
    port), at a random time in [start, end]. No port gets more than per_port_max sources."""
    ports = list(ports or BACKGROUND_PORTS)
    rng.shuffle(ports)
    use = {}
    lines = []
    span = (end - start).total_seconds()
    for i, src in enumerate(sources):
        # pick a port that is not yet used per_port_max times
        for p in ports[i % len(ports):] + ports[:i % len(ports)]:
            if use.get(p, 0) < per_port_max:
                break
        use[p] = use.get(p, 0) + 1
        st = random_stack(rng)
        when = start + dt.timedelta(seconds=rng.uniform(0, span))
        dst = rng.choice(dsts)
        spt = st.port()
        lines.append((when, nf_line(kernel, when, prefix, iface, out, mac,
                                    ip_part(src, dst, st.syn_len, st.ttl, st.ipid(), st.df),
                                    tcp_part(spt, p, st.window))))
        r = rng.random()
        if r < 0.25:  # retransmission, same source port
            w2 = when + dt.timedelta(seconds=rng.choice([1, 3]) + rng.random() * 0.05)
            lines.append((w2, nf_line(kernel, w2, prefix, iface, out, mac,
                                      ip_part(src, dst, st.syn_len, st.ttl, st.ipid(), st.df),
                                      tcp_part(spt, p, st.window))))
        elif r < 0.40:  # a second port, soon after
            p2 = rng.choice([x for x in ports if use.get(x, 0) < per_port_max] or ports)
            use[p2] = use.get(p2, 0) + 1
            w2 = when + dt.timedelta(seconds=rng.uniform(2, 40))
            lines.append((w2, nf_line(kernel, w2, prefix, iface, out, mac,
                                      ip_part(src, dst, st.syn_len, st.ttl, st.ipid(), st.df),
                                      tcp_part(st.port(), p2, st.window))))
    return lines


def doc_addresses(rng, count, exclude=(), nets=("192.0.2", "198.51.100")):
    """count distinct documentation addresses (RFC 5737), avoiding exclude."""
    pool = [f"{n}.{h}" for n in nets for h in range(1, 255)]
    pool = [a for a in pool if a not in exclude]
    return rng.sample(pool, count)


def write(path, timed_lines, header=()):
    timed_lines = sorted(timed_lines, key=lambda x: x[0])
    with open(path, "w") as f:
        for h in header:
            f.write(h + "\n")
        for _, line in timed_lines:
            f.write(line + "\n")
    return len(timed_lines)
