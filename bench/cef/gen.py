#!/usr/bin/env python3
"""Firewall and WAF logs in CEF after an RFC 3164 syslog header, as
FortiGate, Check Point and Imperva forward them: traffic accepts and
denies, with a sprinkle of blocked attacks. Deterministic for a seed.

usage: gen.py SEED MIB > out.cef"""
import random
import sys

seed, mib = int(sys.argv[1]), float(sys.argv[2])
rnd = random.Random(seed)
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
vendors = [("Fortinet", "FortiGate", "7.2.5"), ("Check Point", "VPN-1 & FireWall-1", "R81"),
           ("Imperva Inc.", "SecureSphere", "13.6.0")]
names = ["traffic:forward accept", "traffic:forward deny", "utm:ips signature",
         "HTTP Signature Violation", "Drop", "Accept"]
out = sys.stdout
limit = int(mib * 1024 * 1024)
written = 0
while written < limit:
    v = rnd.choice(vendors)
    attack = rnd.random() < 0.01
    name = rnd.choice(names[2:4]) if attack else rnd.choice(names[:2] + names[4:])
    src = f"{rnd.choice([10, 172, 192, 203])}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
    dst = f"10.0.{rnd.randrange(8)}.{rnd.randrange(1, 255)}"
    act = "block" if attack or "deny" in name or name == "Drop" else "accept"
    sev = rnd.choice([7, 8, 9]) if attack else rnd.choice([1, 3, 5])
    h, m, s = rnd.randrange(24), rnd.randrange(60), rnd.randrange(60)
    req = (f" request=/index.php?id=1' OR '1'='1 requestMethod=GET" if attack else
           f" request=/static/{rnd.randrange(10000)}.js requestMethod=GET" if rnd.random() < 0.3 else "")
    line = (f"<134>{rnd.choice(months)} {rnd.randrange(1, 29):2d} {h:02d}:{m:02d}:{s:02d} "
            f"fw-{rnd.randrange(1, 9):02d} CEF:0|{v[0]}|{v[1]}|{v[2]}|{rnd.randrange(10000, 99999)}|"
            f"{name}|{sev}|rt={rnd.randrange(1700000000000, 1790000000000)} src={src} "
            f"spt={rnd.randrange(1024, 65535)} dst={dst} dpt={rnd.choice([22, 80, 443, 3389, 8080])} "
            f"proto=6 act={act} deviceInboundInterface=port{rnd.randrange(1, 9)} "
            f"cs1Label=policy cs1=rule-{rnd.randrange(1, 200)}{req} "
            f"suser={rnd.choice(['-', 'alice', 'bob', 'svc-backup'])}\n")
    out.write(line)
    written += len(line)
