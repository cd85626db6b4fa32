#!/usr/bin/env python3
"""Synthesizes tests/data/patterns/*.log for fwseen's pattern tests. Deterministic (fixed seeds).
Usage: gen.py OUTDIR"""
import datetime as dt
import random
import sys

from common import *

OUT = sys.argv[1]
S = lambda x: dt.timedelta(seconds=x)

VPS = "203.0.113.10"
VPS_MAC = mac_field("f2:3c:91:5e:a0:12", "00:26:cb:4a:1f:c0")
UFW_BLOCK = "[UFW BLOCK] "
UFW_ALLOW = "[UFW ALLOW] "


def syn(kernel, when, prefix, src, dst, st, spt, dpt, ipid=None, ttl=None, iface="eth0", out="",
        mac=VPS_MAC, flags="SYN", length=None, window=None, extra=""):
    return (when, nf_line(kernel, when, prefix, iface, out, mac,
                          ip_part(src, dst, length or st.syn_len, ttl or st.ttl,
                                  st.ipid() if ipid is None else ipid, st.df),
                          tcp_part(spt, dpt, window or st.window, flags), extra))


def gaps_summing(rng, n, total, lo, hi):
    while True:
        g = [rng.uniform(lo, hi) for _ in range(n)]
        k = total / sum(g)
        g = [x * k for x in g]
        if all(lo <= x <= hi for x in g):
            # round to whole microseconds, keep the exact total
            g = [round(x, 3) for x in g]
            g[-1] = round(total - sum(g[:-1]), 3)
            if lo <= g[-1] <= hi:
                return g


# 1. slow-scan.log ---------------------------------------------------------------------------
def slow_scan():
    rng = random.Random(101)
    k = Kernel("vps", t("2022-05-07 14:12:40"), rng)
    scanner = "198.51.100.73"
    ports = [21, 22, 23, 25, 80, 81, 88, 110, 135, 139, 143, 443, 445, 465, 587, 993, 995,
             1433, 1521, 1723, 2375, 3306, 3389, 5060, 5432, 5900, 5985, 6379, 8000, 8080,
             8443, 9200, 10000, 27017, 8888, 2222]
    assert len(set(ports)) == 36
    rng.shuffle(ports)
    st = Stack(rng, 49, 29200, 60)
    gaps = gaps_summing(rng, 35, 4 * 3600 + 40 * 60, 180, 900)
    when = t("2022-05-15 00:00:15") + S(0.155)
    lines = []
    for i, p in enumerate(ports):
        ttl = 49 if rng.random() > 0.1 else 50
        lines.append(syn(k, when, UFW_BLOCK, scanner, VPS, st, st.port(), p, ttl=ttl))
        if i < 35:
            when += S(gaps[i])
    others = doc_addresses(rng, 40, exclude=[scanner])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-14 23:48:00"),
                               t("2022-05-15 05:02:00"), UFW_BLOCK, VPS_MAC, per_port_max=2,
                               ports=[p for p in BACKGROUND_PORTS])
    return write(f"{OUT}/slow-scan.log", lines)


# 2. week-scanner.log ------------------------------------------------------------------------
def week_scanner():
    rng = random.Random(202)
    k = Kernel("edge", t("2022-04-29 03:21:07"), rng)
    hosts = ["203.0.113.10", "203.0.113.11"]
    mac = mac_field("52:54:00:8e:11:02", "00:1c:73:aa:05:3b")
    scanner = "192.0.2.146"
    special = [31337, 12345, 27374, 27015, 27960, 25565, 7070, 554, 1755, 6970, 33434, 113]
    common = [21, 22, 23, 25, 53, 80, 81, 110, 111, 135, 139, 143, 443, 445, 465, 587, 993, 995,
              1080, 1433, 1521, 1723, 2049, 2375, 3128, 3306, 3389, 5060, 5432, 5900, 5985, 6379,
              8000, 8080, 8443, 8888, 9200, 11211, 27017]
    rest = [p for p in range(1, 65536) if p not in special and p not in common]
    ports = special + common + rng.sample(rest, 309 - len(special) - len(common))
    assert len(set(ports)) == 309
    rng.shuffle(ports)
    both = set(rng.sample(ports, 115))  # probed on both hosts: 309 + 115 = 424 SYNs
    # 9 bursts over 6 days
    starts = sorted(t("2022-05-15 02:13:00") + S(rng.uniform(0, 6 * 86400 - 3600)) for _ in range(7))
    starts = [t("2022-05-15 02:13:07")] + starts + [t("2022-05-21 01:58:40")]
    cuts = sorted(rng.sample(range(10, 300), 8))
    chunks = [ports[a:b] for a, b in zip([0] + cuts, cuts + [309])]
    st = Stack(rng, 47, 1024, 44, df=False, ports=(40000, 65000))
    lines = []
    odd_ttl_done = False
    for start, chunk in zip(starts, chunks):
        when = start + S(rng.random())
        probes = []
        for p in chunk:
            hs = hosts if p in both else [rng.choice(hosts)]
            for h in hs:
                probes.append((h, p))
        rng.shuffle(probes)
        for h, p in probes:
            ttl = 47 if rng.random() > 0.05 else 46
            if not odd_ttl_done and rng.random() < 0.02:
                ttl, odd_ttl_done = 232, True
            lines.append(syn(k, when, UFW_BLOCK, scanner, h, st, st.port(), p, ttl=ttl, mac=mac))
            when += S(rng.uniform(0.2, 9.0))
    assert odd_ttl_done and len(lines) == 424, len(lines)
    others = doc_addresses(rng, 24, exclude=[scanner])
    lines += background_probes(k, rng, others, hosts, t("2022-05-15 01:00:00"),
                               t("2022-05-21 03:00:00"), UFW_BLOCK, mac)
    return write(f"{OUT}/week-scanner.log", lines)


# 3. mail-retry.log --------------------------------------------------------------------------
def mail_retry():
    rng = random.Random(303)
    k = Kernel("vps", t("2022-05-02 08:40:51"), rng)
    mta = "198.51.100.25"
    st = Stack(rng, 50, 64240, 60)
    lines = []
    when = t("2022-05-15 01:07:41") + S(0.318)
    end = when + S(17 * 3600)
    n = 0
    while when <= end:
        spt = st.port()
        ipid = rng.randrange(1, 65536)
        same_id = n == 4  # one attempt whose retransmissions repeat the IP ID exactly
        for j, off in enumerate([0, 1.02, 3.06]):
            w = when + S(off + rng.random() * 0.004)
            lines.append(syn(k, w, UFW_BLOCK, mta, VPS, st, spt, 25,
                             ipid=ipid if same_id else (ipid + j) % 65536))
        n += 1
        when += S(rng.uniform(66.5, 72.5) * 60)
    assert 14 <= n <= 16, n
    # one SYN re-sent 111 times: same source port, same IP ID, to SSH
    dup = "192.0.2.211"
    when = t("2022-05-15 09:22:03") + S(0.771)
    for i in range(111):
        lines.append(syn(k, when, UFW_BLOCK, dup, VPS, Stack(rng, 52, 14600, 60), 41873, 22,
                         ipid=23117))
        when += S(rng.uniform(17.0, 23.0))
    others = doc_addresses(rng, 14, exclude=[mta, dup])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 01:00:00"),
                               t("2022-05-15 18:30:00"), UFW_BLOCK, VPS_MAC,
                               ports=[p for p in BACKGROUND_PORTS if p not in (22, 25)])
    return write(f"{OUT}/mail-retry.log", lines)


# 4. allowed-bruteforce.log ------------------------------------------------------------------
def allowed_bruteforce():
    rng = random.Random(404)
    k = Kernel("vps", t("2022-05-11 19:02:13"), rng)
    brute = "198.51.100.44"
    st = Stack(rng, 50, 64240, 60)
    lines = []
    when = t("2022-05-15 03:41:09") + S(0.204)
    spt = rng.randrange(33000, 36000)
    for i in range(40):
        spt += rng.choice([2, 2, 4, 6, 8, 10, 14])
        lines.append(syn(k, when, UFW_ALLOW, brute, VPS, st, spt, 22))
        when += S(rng.uniform(11.0, 17.5))
    assert when - t("2022-05-15 03:41:09") < S(600), when
    # the owner's own SSH login, earlier
    admin = Stack(rng, 55, 65535, 64, ports=(49152, 65535))
    w = t("2022-05-15 02:58:31") + S(0.5)
    lines.append(syn(k, w, UFW_ALLOW, "192.0.2.33", VPS, admin, admin.port(), 22))
    others = doc_addresses(rng, 12, exclude=[brute, "192.0.2.33"])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 02:30:00"),
                               t("2022-05-15 04:30:00"), UFW_BLOCK, VPS_MAC,
                               ports=[p for p in BACKGROUND_PORTS if p != 22])
    return write(f"{OUT}/allowed-bruteforce.log", lines)


# 5. desktop-own.log -------------------------------------------------------------------------
def desktop_own():
    rng = random.Random(505)
    k = Kernel("fedora", t("2022-05-15 08:02:44"), rng)
    me = "192.168.122.235"
    gw = "192.168.122.1"
    my_mac, gw_mac = "08:00:27:3a:b1:c2", "52:54:00:12:35:02"
    inmac = mac_field(my_mac, gw_mac)
    lomac = "00:00:00:00:00:00:00:00:00:00:00:00:08:00"
    OUTP, INP = "[netfilter-OUTPUT] ", "[netfilter-INPUT] "
    lines = []

    def out(when, dst, proto, length, ipid, ttl=64, df=True, tos=0):
        lines.append((when, nf_line(k, when, OUTP, "", "enp0s3", None,
                                    ip_part(me, dst, length, ttl, ipid, df, tos), proto)))

    def inn(when, src, proto, length, ipid, ttl, df=True, tos=0):
        lines.append((when, nf_line(k, when, INP, "enp0s3", "", inmac,
                                    ip_part(src, me, length, ttl, ipid, df, tos), proto)))

    def lo(when, src, dst, proto, length, ipid):
        # a loopback packet passes OUTPUT (OUT=lo) and then INPUT (IN=lo)
        lines.append((when, nf_line(k, when, OUTP, "", "lo", None,
                                    ip_part(src, dst, length, 64, ipid, True), proto)))
        w2 = when + S(0.000011)
        lines.append((w2, nf_line(k, w2, INP, "lo", "", lomac,
                                  ip_part(src, dst, length, 64, ipid, True), proto)))

    def dns(when, name_len, stub=False):
        q = 12 + name_len + 2 + 4 + 11  # header, name, type/class, EDNS OPT
        a = q + rng.choice([16, 32, 48, 64, 120, 180])
        if stub:
            p = rng.randrange(32768, 61000)
            lo(when, "127.0.0.1", "127.0.0.53", udp_part(p, 53, q + 8), q + 28, rng.randrange(65536))
            lo(when + S(0.021), "127.0.0.53", "127.0.0.1", udp_part(53, p, a + 8), a + 28,
               rng.randrange(65536))
            when += S(0.0004)
        p = rng.randrange(32768, 61000)
        out(when, gw, udp_part(p, 53, q + 8), q + 28, rng.randrange(65536))
        inn(when + S(rng.uniform(0.004, 0.040)), gw, udp_part(53, p, a + 8), a + 28,
            rng.randrange(65536), 64)

    start = t("2022-05-15 09:00:02")
    # NTP: chrony polling 4 pool servers every 64 s, a new random client port each time
    ntp = ["192.0.2.123", "198.51.100.123", "203.0.113.123", "198.51.100.46"]
    for i, server in enumerate(ntp):
        ttl = 64 - rng.randrange(9, 16)
        when = start + S(1.5 + i * 0.7 + rng.random() * 0.1)
        for _ in range(10):
            p = rng.randrange(32768, 61000)
            out(when, server, udp_part(p, 123, 56), 76, rng.randrange(65536), tos=0xB8)
            inn(when + S(rng.uniform(0.012, 0.045)), server, udp_part(123, p, 56), 76,
                rng.randrange(65536), ttl, tos=0xB8 if rng.random() < 0.5 else 0)
            when += S(64 + rng.uniform(-0.2, 0.2))
    # Browsing: 30 outside hosts, full TCP sessions
    web = doc_addresses(rng, 30, exclude=ntp + ["192.0.2.1"], nets=("192.0.2", "198.51.100", "203.0.113"))
    when = start + S(20)
    for i, server in enumerate(web):
        port = 80 if i % 5 == 3 else 443
        dns(when, rng.randrange(10, 24), stub=(i % 3 == 0))
        when += S(rng.uniform(0.03, 0.09))
        cport = rng.randrange(32768, 61000)
        cid = rng.randrange(65536)
        sid = rng.randrange(65536)
        sttl = rng.choice([64, 64, 128, 255]) - rng.randrange(8, 20)
        rtt = rng.uniform(0.012, 0.090)
        cur = when

        def c(flags, length, window=501):
            nonlocal cid
            out(cur, server, tcp_part(cport, port, window, flags), length, cid)
            cid = (cid + 1) % 65536

        def s(flags, length, window=501, syn_ack=False):
            nonlocal sid
            inn(cur, server, tcp_part(port, cport, window, flags), length,
                0 if syn_ack else sid, sttl)
            if not syn_ack:
                sid = (sid + 1) % 65536

        c("SYN", 60, 64240); cur += S(rtt)
        s("ACK SYN", 60, 65160, syn_ack=True); cur += S(0.0002)
        c("ACK", 52); cur += S(0.0003)
        c("ACK PSH", rng.randrange(400, 620) if port == 443 else rng.randrange(380, 520)); cur += S(rtt)
        s("ACK", 52, 509); cur += S(0.004)
        s("ACK PSH", 1452, 509); cur += S(0.0008)
        s("ACK PSH", rng.randrange(200, 1452), 509); cur += S(0.0004)
        c("ACK", 52, 530); cur += S(rng.uniform(0.5, 8))
        c("ACK FIN", 52, 530); cur += S(rtt)
        s("ACK FIN", 52, 509); cur += S(0.0002)
        c("ACK", 52, 530)
        when += S(rng.uniform(5, 45))
    # a few more lookups through the stub resolver
    for _ in range(6):
        dns(start + S(rng.uniform(30, 1200)), rng.randrange(8, 20), stub=True)
    # ping one host
    when = start + S(700.25)
    pid = rng.randrange(1, 65535)
    for seq in range(1, 9):
        out(when, "192.0.2.1", icmp_part(8, 0, pid, seq), 84, rng.randrange(65536))
        inn(when + S(0.0213 + rng.random() * 0.003), "192.0.2.1", icmp_part(0, 0, pid, seq), 84,
            rng.randrange(65536), 54, df=False)
        when += S(1.0 + rng.random() * 0.002)
    # loopback TCP: the browser asks CUPS on 631 for printers, twice
    for when in (start + S(95.4), start + S(905.7)):
        p = rng.randrange(32768, 61000)
        i1, i2 = rng.randrange(65536), 0
        lo(when, "127.0.0.1", "127.0.0.1", tcp_part(p, 631, 65495, "SYN"), 60, i1)
        lo(when + S(0.00003), "127.0.0.1", "127.0.0.1", tcp_part(631, p, 65483, "ACK SYN"), 60, i2)
        lo(when + S(0.00005), "127.0.0.1", "127.0.0.1", tcp_part(p, 631, 512, "ACK"), 52, i1 + 1)
        lo(when + S(0.0003), "127.0.0.1", "127.0.0.1", tcp_part(p, 631, 512, "ACK PSH"), 291, i1 + 2)
        lo(when + S(0.0011), "127.0.0.1", "127.0.0.1", tcp_part(631, p, 512, "ACK PSH"), 1262, 41000 + rng.randrange(1000))
        lo(when + S(0.0015), "127.0.0.1", "127.0.0.1", tcp_part(p, 631, 512, "ACK FIN"), 52, i1 + 3)
    return write(f"{OUT}/desktop-own.log", lines)


# 6. windows-server.log ----------------------------------------------------------------------
WIN_HEADER = ["#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local",
              "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path",
              ""]


def win(when, action, proto, src, dst, spt, dpt, path, size=0, icmp=None):
    if proto == "TCP":
        mid = f"{spt} {dpt} {size} - 0 0 0 - - -"
    elif proto == "UDP":
        mid = f"{spt} {dpt} {size} - - - - - - -"
    else:
        mid = f"- - {size} - - - - {icmp[0]} {icmp[1]} -"
    return (when, f"{when:%Y-%m-%d %H:%M:%S} {action} {proto} {src} {dst} {mid} {path}")


def windows_server():
    rng = random.Random(606)
    me, dc, sql = "192.168.6.81", "192.168.6.1", "192.168.6.20"
    start, end = t("2022-05-15 08:00:00"), t("2022-05-15 12:00:00")
    span = (end - start).total_seconds()
    lines = []
    eph = [rng.randrange(49152, 52000)]

    def port():
        eph[0] += rng.randrange(1, 4)
        return eph[0]

    def at():
        return start + S(int(rng.uniform(0, span)))

    # allowed inbound: file shares, RDP, the intranet site, from 12 clients, a few each
    clients = [f"192.168.6.{h}" for h in rng.sample(range(100, 140), 12)]
    for cl in clients:
        for _ in range(rng.randrange(2, 6)):
            dpt = rng.choice([445, 445, 80, 443, 3389, 135])
            lines.append(win(at(), "ALLOW", "TCP", cl, me, rng.randrange(49152, 65535), dpt, "RECEIVE"))
    # NetBIOS name service broadcasts and pings from the LAN
    for _ in range(8):
        cl = rng.choice(clients)
        lines.append(win(at(), "ALLOW", "UDP", cl, "192.168.6.255", 137, 137, "RECEIVE", 78))
    for _ in range(4):
        lines.append(win(at(), "ALLOW", "ICMP", "192.168.6.1", me, None, None, "RECEIVE", 60, (8, 0)))
    # allowed outbound: DNS to the domain controller, time sync, updates
    for _ in range(40):
        lines.append(win(at(), "ALLOW", "UDP", me, dc, rng.randrange(49152, 65535), 53, "SEND"))
    for h in range(5):
        lines.append(win(start + S(h * 3600 + 17), "ALLOW", "UDP", me, dc, 123, 123, "SEND"))
    for dst in ["198.51.100.140", "198.51.100.141", "192.0.2.80"]:
        for _ in range(3):
            lines.append(win(at(), "ALLOW", "TCP", me, dst, port(), 443, "SEND"))
    # the line-of-business application: 60 connections to SQL Server on 192.168.6.20:1433
    for i in range(60):
        when = start + S(int(i * span / 60 + rng.uniform(0, 200)))
        lines.append(win(when, "ALLOW", "TCP", me, sql, port(), 1433, "SEND"))
    # blocked outbound: a telemetry call every 30 minutes
    for i in range(9):
        when = start + S(i * 1800 + 42 + rng.randrange(0, 3))
        lines.append(win(when, "DROP", "TCP", me, "204.79.197.200", port(), 443, "SEND"))
    # blocked outbound: the mail queue tries to deliver directly to 22 outside mail servers
    mx = doc_addresses(rng, 22, nets=("192.0.2", "198.51.100", "203.0.113"))
    weights = [rng.randrange(1, 6) for _ in mx]
    attempts = []
    for host, w in zip(mx, weights):
        attempts += [host] * w
    while len(attempts) < 300:
        attempts.append(rng.choice(mx))
    attempts = attempts[:300]
    assert set(attempts) == set(mx)
    rng.shuffle(attempts)
    for i, host in enumerate(attempts):
        run = i * 24 // 300  # a queue run every 10 minutes tries 12 or 13 deliveries
        when = start + S(run * 600 + 5 + (i % 13) * rng.randrange(1, 4))
        lines.append(win(when, "DROP", "TCP", me, host, port(), 25, "SEND"))
    # Windows hands out ephemeral ports roughly in sequence: renumber this host's outgoing TCP
    # connections in time order
    lines.sort(key=lambda x: x[0])
    nxt = rng.randrange(49200, 50500)
    fixed = []
    for when, line in lines:
        f = line.split(" ")
        if f[3] == "TCP" and f[4] == me and f[-1] == "SEND":
            nxt += rng.choice([1, 1, 1, 2, 3])
            f[6] = str(nxt)
        fixed.append((when, " ".join(f)))
    return write(f"{OUT}/windows-server.log", fixed, header=WIN_HEADER)


# 7. ntp-dns-answers.log ---------------------------------------------------------------------
def ntp_dns_answers():
    rng = random.Random(707)
    k = Kernel("vps", t("2022-05-09 11:17:00"), rng)
    servers = doc_addresses(rng, 30, exclude=[VPS])
    ntp, dnss = servers[:12], servers[12:]
    start = t("2022-05-15 06:25:03")
    lines = []
    for s in ntp:
        ttl = rng.choice([64, 64, 128, 255]) - rng.randrange(6, 22)
        when = start + S(rng.uniform(0, 1100))
        for _ in range(rng.randrange(1, 4)):
            # ntpd talks from 123 to 123
            lines.append((when, nf_line(k, when, UFW_BLOCK, "eth0", "", VPS_MAC,
                                        ip_part(s, VPS, 76, ttl, rng.randrange(65536), rng.random() < 0.6),
                                        udp_part(123, 123, 56))))
            when += S(rng.uniform(60, 300))
    for s in dnss:
        ttl = rng.choice([64, 64, 128, 255]) - rng.randrange(6, 22)
        when = start + S(rng.uniform(0, 1100))
        for _ in range(rng.randrange(1, 4)):
            a = rng.randrange(60, 520)
            lines.append((when, nf_line(k, when, UFW_BLOCK, "eth0", "", VPS_MAC,
                                        ip_part(s, VPS, a, ttl, rng.randrange(65536), rng.random() < 0.5),
                                        udp_part(53, rng.randrange(32768, 61000), a - 20))))
            when += S(rng.uniform(1, 90))
    return write(f"{OUT}/ntp-dns-answers.log", lines)


# 8. zeek-sessions.log -----------------------------------------------------------------------
ZEEK_FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
               "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
               "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts",
               "resp_ip_bytes", "tunnel_parents"]
ZEEK_TYPES = ["time", "string", "addr", "port", "addr", "port", "enum", "string", "interval",
              "count", "count", "string", "bool", "bool", "count", "string", "count", "count",
              "count", "count", "set[string]"]
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def zeek_sessions():
    rng = random.Random(808)
    server = VPS
    start = t("2022-05-15 10:00:00")
    rows = []

    def uid():
        return "C" + "".join(rng.choice(B62) for _ in range(rng.choice([17, 17, 18])))

    def row(when, oh, op, rh, rp, service, dur, ob, rb, state, hist, opk, oib, rpk, rib):
        ts = f"{when.timestamp():.6f}"
        f = [ts, uid(), oh, str(op), rh, str(rp), "tcp", service, dur, ob, rb, state, "F", "T",
             "0", hist, str(opk), str(oib), str(rpk), str(rib), "-"]
        rows.append((when, "\t".join(f)))

    ssh_clients = doc_addresses(rng, 8, exclude=[server])
    counts = [4, 3, 3, 3, 2, 2, 2, 1]
    for cl, n in zip(ssh_clients, counts):
        for _ in range(n):
            when = start + S(rng.uniform(0, 7000))
            ob, rb = rng.randrange(2500, 90000), rng.randrange(2500, 400000)
            opk, rpk = ob // 300 + 12, rb // 900 + 10
            row(when, cl, rng.randrange(32768, 61000), server, 22, "ssh",
                f"{rng.uniform(20, 3000):.6f}", str(ob), str(rb), "SF", "ShAdDaFf",
                opk, ob + opk * 52, rpk, rb + rpk * 52)
    web_clients = doc_addresses(rng, 15, exclude=[server] + ssh_clients)
    for cl in web_clients:
        for _ in range(rng.randrange(1, 4)):
            when = start + S(rng.uniform(0, 7000))
            port = rng.choice([80, 443, 443])
            ob, rb = rng.randrange(300, 2400), rng.randrange(1200, 250000)
            opk, rpk = rng.randrange(5, 12), rb // 1400 + 3
            row(when, cl, rng.randrange(49152, 65535), server, port,
                "http" if port == 80 else "ssl", f"{rng.uniform(0.05, 12):.6f}", str(ob),
                str(rb), "SF", "ShADadFf", opk, ob + opk * 40, rpk, rb + rpk * 40)
    scanner = "192.0.2.99"
    ports = rng.sample([p for p in range(1, 10000) if p not in (22, 80, 443)], 50)
    when = start + S(3333.1)
    for p in ports:
        row(when, scanner, 62011, server, p, "-", "-", "-", "-", "S0", "S", 1, 44, 0, 0)
        when += S(rng.uniform(0.001, 0.4))
    rows.sort(key=lambda r: r[0])
    header = ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
              "#unset_field\t-", "#path\tconn", "#open\t2022-05-15-10-00-00",
              "#fields\t" + "\t".join(ZEEK_FIELDS), "#types\t" + "\t".join(ZEEK_TYPES)]
    with open(f"{OUT}/zeek-sessions.log", "w") as f:
        for h in header:
            f.write(h + "\n")
        for _, r in rows:
            f.write(r + "\n")
        f.write("#close\t2022-05-15-12-00-00\n")
    return len(rows)


# 9. retransmit.log --------------------------------------------------------------------------
def retransmit():
    rng = random.Random(909)
    k = Kernel("gw", t("2022-05-13 22:10:05"), rng)
    lan_mac = mac_field("00:0d:b9:4f:12:a1", "3c:52:82:19:6e:0d")
    wan_mac = mac_field("00:0d:b9:4f:12:a0", "00:1e:e5:77:a3:10")
    lines = []
    when = t("2022-05-15 19:44:12") + S(0.532)
    st = Stack(rng, 63, 64240, 60)
    for off in [0, 1, 3, 7, 15, 31]:
        w = when + S(off * 1.0 + rng.random() * 0.01)
        lines.append(syn(k, w, "[UFW BLOCK] ", "10.0.0.5", "198.51.100.9", st, 50818, 6666,
                         ipid=30412, iface="br0", out="eth0", mac=lan_mac))
    wan = "192.0.2.66"
    others = doc_addresses(rng, 8, exclude=[wan, "198.51.100.9"])
    lines += background_probes(k, rng, others, [wan], t("2022-05-15 18:50:00"),
                               t("2022-05-15 20:40:00"), "[UFW BLOCK] ", wan_mac)
    return write(f"{OUT}/retransmit.log", lines)


# 10. proto-scan.log -------------------------------------------------------------------------
def proto_scan():
    rng = random.Random(1010)
    k = Kernel("vps", t("2022-05-12 07:55:31"), rng)
    scanner = "192.0.2.150"
    protos = list(range(0, 100))
    rng.shuffle(protos)
    lines = []
    when = t("2022-05-15 13:20:45") + S(0.611)
    ttl = 52

    def probe(when, p):
        ipid = rng.randrange(1, 65536)
        if p == 1:
            ip, body = 28, icmp_part(8, 0, rng.randrange(65536), 0)
        elif p == 6:
            ip, body = 40, tcp_part(rng.randrange(33000, 65000), 80, 1024, "ACK")
        elif p == 17:
            ip, body = 28, udp_part(rng.randrange(33000, 65000), 40125, 8)
        elif p == 50:
            ip, body = 20, "PROTO=ESP INCOMPLETE [0 bytes] "
        elif p == 51:
            ip, body = 20, "PROTO=AH INCOMPLETE [0 bytes] "
        elif p == 2:
            ip, body = 28, "PROTO=2 "
        else:
            ip, body = 20, f"PROTO={p} "
        return (when, nf_line(k, when, UFW_BLOCK, "eth0", "", VPS_MAC,
                              ip_part(scanner, VPS, ip, ttl, ipid, False), body))

    for p in protos:
        lines.append(probe(when, p))
        when += S(rng.uniform(0.05, 0.35))
    # nmap retries the unanswered ones
    when += S(1.2)
    for p in rng.sample(protos, 40):
        lines.append(probe(when, p))
        when += S(rng.uniform(0.05, 0.35))
    others = doc_addresses(rng, 10, exclude=[scanner])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 12:40:00"),
                               t("2022-05-15 14:00:00"), UFW_BLOCK, VPS_MAC)
    return write(f"{OUT}/proto-scan.log", lines)


# 11. spoofed.log ----------------------------------------------------------------------------
def spoofed():
    rng = random.Random(1111)
    k = Kernel("vps", t("2022-05-12 07:55:31"), rng)
    pre = "SPOOFED DROP: "
    lines = []

    def pkt(when, src, dst, st, spt, dpt, flags="SYN", length=None, window=None, ipid=None):
        lines.append(syn(k, when, pre, src, dst, st, spt, dpt, ipid=ipid, flags=flags,
                         length=length, window=window))

    base = t("2022-05-15 15:02:11")
    raw = Stack(rng, 241, 1024, 40, df=False, ports=(1024, 65535))
    for i in range(2):
        pkt(base + S(i * 2.9 + 0.1), "0.0.0.0", VPS, raw, raw.port(), 80)
    for i in range(3):
        pkt(base + S(400 + i * 61.3), "127.0.0.1", VPS, Stack(rng, 53, 29200, 60), 44000 + i * 7, 22)
    for i in range(2):
        pkt(base + S(1300 + i * 4.2), "240.1.2.3", VPS, raw, raw.port(), 443)
    land = Stack(rng, 243, 2048, 40, df=False)
    for i in range(4):
        pkt(base + S(2100 + i * 0.8), VPS, VPS, land, 139, 139, ipid=rng.randrange(65536))
    others = doc_addresses(rng, 10)
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 14:50:00"),
                               t("2022-05-15 16:00:00"), UFW_BLOCK, VPS_MAC)
    return write(f"{OUT}/spoofed.log", lines)


# 12. invalid-icmp.log -----------------------------------------------------------------------
def invalid_icmp():
    rng = random.Random(1212)
    k = Kernel("vps", t("2022-05-12 07:55:31"), rng)
    src = "198.51.100.200"
    lines = []

    def icmp(when, ty, code, length, ident=None, seq=None, tos=0, df=True):
        lines.append((when, nf_line(k, when, UFW_BLOCK, "eth0", "", VPS_MAC,
                                    ip_part(src, VPS, length, 46, rng.randrange(1, 65536), df, tos),
                                    icmp_part(ty, code, ident, seq))))

    when = t("2022-05-15 16:40:02") + S(0.1)
    for attempt in range(2):
        ident = rng.randrange(65536)
        # nmap -O "IE" pair: echo with code 9 (should be 0), then an echo with TOS 4
        icmp(when, 8, 9, 148, ident, 295)
        icmp(when + S(0.1), 8, 0, 178, (ident + 1) % 65536, 296, tos=0x04)
        when += S(1.9)
    # deprecated and unassigned types
    for ty, length in [(15, 28), (17, 32), (1, 28), (2, 28), (7, 28), (44, 28), (30, 40), (99, 28)]:
        icmp(when, ty, 0, length, df=False)
        when += S(rng.uniform(0.2, 1.5))
    icmp(when, 8, 9, 148, rng.randrange(65536), 1, df=False)
    others = doc_addresses(rng, 8, exclude=[src])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 16:00:00"),
                               t("2022-05-15 17:20:00"), UFW_BLOCK, VPS_MAC)
    return write(f"{OUT}/invalid-icmp.log", lines)


# 13. dns-source-port-scan.log ---------------------------------------------------------------
def dns_source_port_scan():
    rng = random.Random(1313)
    k = Kernel("vps", t("2022-05-12 07:55:31"), rng)
    src = "198.51.100.131"
    ports = [22, 80, 135, 445, 21, 23, 25, 53, 110, 111, 139, 143, 443, 993, 995, 1723, 3306,
             3389, 5900, 8080, 199, 587, 1025, 8888, 554, 1720, 465, 548, 113, 81, 6001, 10000,
             514, 5060, 179, 1026, 2000, 8443, 8000, 32768]
    assert len(set(ports)) == 40
    order = ports[:]
    rng.shuffle(order)
    st = Stack(rng, 45, 1024, 44, df=False)
    lines = []
    when = t("2022-05-15 17:03:30") + S(0.42)
    for p in order:
        lines.append(syn(k, when, UFW_BLOCK, src, VPS, st, 53, p))
        when += S(rng.uniform(0.001, 0.3))
    when += S(1.1)
    for p in rng.sample(order, 20):  # nmap's retransmissions for the filtered ports
        lines.append(syn(k, when, UFW_BLOCK, src, VPS, st, 53, p))
        when += S(rng.uniform(0.001, 0.3))
    others = doc_addresses(rng, 8, exclude=[src])
    lines += background_probes(k, rng, others, [VPS], t("2022-05-15 16:30:00"),
                               t("2022-05-15 17:40:00"), UFW_BLOCK, VPS_MAC)
    return write(f"{OUT}/dns-source-port-scan.log", lines)


# 14. distributed-slow.log -------------------------------------------------------------------
def distributed_slow():
    rng = random.Random(1414)
    k = Kernel("edge", t("2022-05-01 00:02:19"), rng)
    hosts = ["203.0.113.10", "203.0.113.11", "203.0.113.12"]
    mac = mac_field("52:54:00:8e:11:02", "00:1c:73:aa:05:3b")
    bots = doc_addresses(rng, 60, nets=("192.0.2", "198.51.100"))
    start = t("2022-05-15 00:10:00")
    times = sorted(rng.uniform(0, 5 * 3600) for _ in bots)
    lines = []
    for s, off in zip(bots, times):
        st = random_stack(rng)
        when = start + S(off)
        lines.append(syn(k, when, UFW_BLOCK, s, rng.choice(hosts), st, st.port(), 5555, mac=mac,
                         iface="eth0", out="eth1"))
    others = doc_addresses(rng, 10, exclude=bots, nets=("192.0.2", "198.51.100"))
    lines += background_probes(k, rng, others, hosts, start, start + S(5 * 3600), UFW_BLOCK,
                               mac, out="eth1",
                               ports=[p for p in BACKGROUND_PORTS if p != 5555])
    return write(f"{OUT}/distributed-slow.log", lines)


# 15. lateral-scan.log -----------------------------------------------------------------------
def lateral_scan():
    rng = random.Random(1515)
    k = Kernel("gw", t("2022-05-10 06:00:00"), rng)
    worm = "192.168.1.50"
    worm_mac = "f8:b1:56:0a:3e:71"
    targets = [h for h in range(2, 61) if h != 50]
    targets = sorted(rng.sample(targets, 39))  # and the router 192.168.1.1: 40 hosts
    st = Stack(rng, 128, 8192, 52, ports=(49152, 65535), id_mode="global")
    lines = []
    when = t("2022-05-15 20:31:07") + S(0.03)
    spt = rng.randrange(49200, 50000)
    for h in targets:
        dst = f"192.168.1.{h}"
        spt += 1
        pmac = mac_field("a0:36:9f:12:34:56", worm_mac)
        physout = f"eth{rng.randrange(2, 5)}"
        for off in (0, 3.0):
            w = when + S(off + rng.random() * 0.002)
            lines.append(syn(k, w, "FORWARD DROP: ", worm, dst, st, spt, 445, iface="br0",
                             out="br0", mac=pmac, extra=f"PHYSIN=eth1 PHYSOUT={physout} "))
        when += S(rng.uniform(0.05, 0.6))
    # and the router itself
    for off in (0, 3.0):
        w = when + S(off)
        lines.append(syn(k, w, "INPUT DROP: ", worm, "192.168.1.1", st, spt + 1, 445, iface="br0",
                         mac=mac_field("a0:36:9f:12:34:56", worm_mac), extra="PHYSIN=eth1 "))
    # ordinary LAN noise: a printer asking the router once
    w = t("2022-05-15 20:12:40")
    lines.append(syn(k, w, "INPUT DROP: ", "192.168.1.23", "192.168.1.1", Stack(rng, 64, 5840, 60),
                     1029, 23, iface="br0", mac=mac_field("a0:36:9f:12:34:56", "00:80:77:5b:1c:02"),
                     extra="PHYSIN=eth2 "))
    return write(f"{OUT}/lateral-scan.log", lines)


# 16. netbios-internet.log -------------------------------------------------------------------
def netbios_internet():
    rng = random.Random(1616)
    k = Kernel("vps", t("2022-05-12 07:55:31"), rng)
    sources = doc_addresses(rng, 20, exclude=[VPS])
    start = t("2022-05-15 00:30:00")
    lines = []
    for s in sources:
        st = random_stack(rng)
        when = start + S(rng.uniform(0, 6 * 3600))
        spt = 137 if rng.random() < 0.2 else st.port()
        for _ in range(1 if rng.random() < 0.7 else 2):
            lines.append((when, nf_line(k, when, UFW_BLOCK, "eth0", "", VPS_MAC,
                                        ip_part(s, VPS, 78, st.ttl, st.ipid(), False),
                                        udp_part(spt, 137, 58))))
            when += S(1.5 + rng.random() * 0.01)
    return write(f"{OUT}/netbios-internet.log", lines)


# 17. zmap-ident.log -------------------------------------------------------------------------
def zmap_ident():
    rng = random.Random(1717)
    k = Kernel("edge", t("2022-05-03 12:00:00"), rng)
    mac = mac_field("52:54:00:8e:11:02", "00:1c:73:aa:05:3b")
    zmap = "198.51.100.240"
    hosts = [f"203.0.113.{h}" for h in range(2, 14)]
    probes = [(h, p) for h in hosts for p in (22, 80, 113, 443)]
    rng.shuffle(probes)
    st = Stack(rng, 243, 65535, 40, df=False, ports=(32768, 61000))
    lines = []
    when = t("2022-05-15 21:15:00") + S(0.004)
    for h, p in probes:
        lines.append(syn(k, when, UFW_BLOCK, zmap, h, st, st.port(), p, ipid=54321, mac=mac,
                         out="eth1"))
        when += S(rng.uniform(0.001, 0.08))
    # a genuine ident query: an IRC server asking about a user of 203.0.113.5
    w = t("2022-05-15 21:40:19") + S(0.7)
    irc = Stack(rng, 52, 64240, 60)
    lines.append(syn(k, w, UFW_BLOCK, "192.0.2.194", "203.0.113.5", irc, irc.port(), 113, mac=mac,
                     out="eth1"))
    others = doc_addresses(rng, 8, exclude=[zmap, "192.0.2.194"])
    lines += background_probes(k, rng, others, hosts, t("2022-05-15 20:50:00"),
                               t("2022-05-15 22:00:00"), UFW_BLOCK, mac, out="eth1")
    return write(f"{OUT}/zmap-ident.log", lines)


for f in [slow_scan, week_scanner, mail_retry, allowed_bruteforce, desktop_own, windows_server,
          ntp_dns_answers, zeek_sessions, retransmit, proto_scan, spoofed, invalid_icmp,
          dns_source_port_scan, distributed_slow, lateral_scan, netbios_internet, zmap_ident]:
    print(f.__name__, f())
