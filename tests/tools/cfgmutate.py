#!/usr/bin/python3
"""tests/tools/cfgmutate.py — mutated configuration files for the parser
comparison (tests/integration/cfg_compat.sh).

  cfgmutate.py SEED COUNT OUTDIR FILE...

Writes COUNT files OUTDIR/m00000.conf ... made from the given files by a
few random edits each: a byte deleted, duplicated or replaced, a line cut,
a fragment from the format's corners inserted (numbers at the edges of
32 and 64 bits, hex, floats, escapes, comments, brackets, include lines),
a trailing newline taken away. Deterministic for a seed; standard library
only.
"""
import os
import random
import sys

FRAGMENTS = [
    "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967297",
    "99999999999999999999", "9223372036854775807L", "9223372036854775808L",
    "0x7fffffff", "0xffffffff", "0x1ffffffff", "0xffffffffffffffffL", "0x", "0X1f",
    "5LL", "1.5L", "1.", ".5", "-.5", ".", "-.", "1e3", "1E+2", "5e", "1e400",
    "+5", "-0x10", "007", "true", "FALSE", "tRuE", "truex", "\"a\" \"b\"",
    "\"\\x41\\x00\\q\\\\\\\"\"", "\"tab\\t\"", "\"\n\"", "# c\n", "// c\n", "/* c */",
    "/* c", "#", "//", "{", "}", "[", "]", "(", ")", ",", ";", ":", "=", "@include \"x.conf\"\n",
    "\n@include \"x.conf\"\n", "a-b_c* = 1;", "*x = 2;", "_a = 1;", "x = [1, 2L];",
    "x = [1, \"s\"];", "x = [ ];", "x = ( );", "x = (1, [2], (3), {y = 4;});",
    "x = [ {y = 1} ];", "x = 1;;", "\r", "\f", "\t", "\x01", "\xef\xbb\xbf",
]


def mutate(rng, data):
    n = rng.randint(1, 3)
    for _ in range(n):
        op = rng.randrange(7)
        pos = rng.randrange(len(data) + 1) if data else 0
        if op == 0 and data:
            data = data[:pos] + data[pos + 1:]
        elif op == 1 and data and pos < len(data):
            data = data[:pos] + data[pos:pos + 1] * 2 + data[pos + 1:]
        elif op == 2 and data and pos < len(data):
            data = data[:pos] + bytes([rng.randrange(32, 127)]) + data[pos + 1:]
        elif op == 3:
            lines = data.split(b"\n")
            if lines:
                del lines[rng.randrange(len(lines))]
            data = b"\n".join(lines)
        elif op == 4 or op == 5:
            frag = rng.choice(FRAGMENTS).encode("latin-1")
            data = data[:pos] + frag + data[pos:]
        else:
            data = data.rstrip(b"\n")
    return data


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    srcs = [open(f, "rb").read() for f in sys.argv[4:]]
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        data = mutate(rng, rng.choice(srcs))
        with open(os.path.join(out, "m%05d.conf" % i), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
