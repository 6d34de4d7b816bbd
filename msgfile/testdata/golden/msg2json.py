#!/usr/bin/python3
"""Print a .msg file's message as the JSON `mapimsg dump --json` prints,
read independently of this module: the compound file with Debian's
python3-olefile, the [MS-OXMSG] layout decoded here from the spec.

    /usr/bin/python3 msg2json.py FILE.msg > FILE.json

Only tags and values are printed (no MAPI names, no named property
names): the golden test compares those. Values follow
internal/dump.Value: integers and booleans as numbers, strings as strings
(PT_STRING8 in the message's code page: PR_MESSAGE_CODEPAGE, else
PR_INTERNET_CPID, else 1252), times in RFC 3339 UTC with the fraction's
trailing zeros cut, binary values and GUIDs as upper-case hex, multi-valued
properties as arrays. Properties are sorted by tag.
"""
import json
import struct
import sys
import datetime

import olefile

PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME = 0x2, 0x3, 0x4, 0x5, 0x6, 0x7
PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8 = 0xA, 0xB, 0xD, 0x14
PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY = 0x1E, 0x1F, 0x40, 0x48, 0x102
MV = 0x1000


def filetime(ticks):
    if ticks == 0:
        return "1601-01-01T00:00:00Z"
    secs, frac = divmod(ticks, 10_000_000)
    t = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=secs)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += "." + ("%07d" % frac).rstrip("0")
    return s + "Z"


def fixed(ptype, b):
    if ptype == PT_I2:
        return struct.unpack_from("<h", b)[0]
    if ptype in (PT_LONG, PT_ERROR):
        return struct.unpack_from("<i", b)[0]
    if ptype == PT_R4:
        return struct.unpack_from("<f", b)[0]
    if ptype in (PT_DOUBLE, PT_APPTIME):
        return struct.unpack_from("<d", b)[0]
    if ptype in (PT_CURRENCY, PT_I8):
        return struct.unpack_from("<q", b)[0]
    if ptype == PT_BOOLEAN:
        return b[0] != 0
    if ptype == PT_SYSTIME:
        return filetime(struct.unpack_from("<Q", b)[0])
    raise ValueError("type 0x%X is not fixed-size" % ptype)


FIXED_SIZE = {PT_I2: 2, PT_LONG: 4, PT_R4: 4, PT_DOUBLE: 8, PT_CURRENCY: 8, PT_APPTIME: 8, PT_BOOLEAN: 2, PT_ERROR: 4,
              PT_I8: 8, PT_SYSTIME: 8, PT_CLSID: 16}


def codec(cp):
    # An Internet code page names the MIME charset; the 8-bit strings of
    # the file are in the Windows code page of its family (ISO-2022-JP:
    # 932; EUC-KR: 949; ISO-8859-1: 1252).
    return {65001: "utf-8", 20127: "ascii", 28591: "cp1252", 50220: "cp932", 50221: "cp932",
            50222: "cp932", 51932: "cp932", 51949: "cp949", 52936: "cp936"}.get(cp, "cp%d" % cp)


def var(ptype, b, cp):
    if ptype == PT_UNICODE:
        s = b.decode("utf-16-le", errors="surrogatepass")
        return s.rstrip("\x00")
    if ptype == PT_STRING8:
        return b.rstrip(b"\x00").decode(codec(cp))
    if ptype in (PT_BINARY, PT_CLSID):
        return b.hex().upper()
    raise ValueError("type 0x%X is not variable-size" % ptype)


class Msg:
    def __init__(self, path):
        self.ole = olefile.OleFileIO(path)

    def stream(self, parts):
        return self.ole.openstream(parts).read()

    def exists(self, parts):
        return self.ole.exists("/".join(parts))

    def props(self, base, header, cp=None):
        raw = self.stream(base + ["__properties_version1.0"])
        entries = []
        for off in range(header, len(raw) - 15, 16):
            tag, _flags = struct.unpack_from("<II", raw, off)
            entries.append((tag, raw[off + 8:off + 16]))
        if cp is None:
            cp = 1252
            for want in (0x3FFD0003, 0x3FDE0003):
                hits = [struct.unpack_from("<i", v)[0] for t, v in entries if t == want]
                if hits and hits[0] > 0:
                    cp = hits[0]
                    break
        out = []
        for tag, v in entries:
            ptype = tag & 0xFFFF
            name = "__substg1.0_%08X" % tag
            if ptype == PT_OBJECT or ptype & ~MV not in FIXED_SIZE and ptype & ~MV not in (PT_STRING8, PT_UNICODE, PT_BINARY):
                continue
            if not ptype & MV and ptype in FIXED_SIZE and ptype != PT_CLSID:
                value = fixed(ptype, v)
            elif not ptype & MV:
                value = var(ptype, self.stream(base + [name]), cp)
            else:
                base_t = ptype & ~MV
                data = self.stream(base + [name])
                if base_t in FIXED_SIZE and base_t != PT_CLSID:
                    size = FIXED_SIZE[base_t]
                    value = [fixed(base_t, data[i:i + size]) for i in range(0, len(data), size)]
                elif base_t == PT_CLSID:
                    value = [data[i:i + 16].hex().upper() for i in range(0, len(data), 16)]
                else:
                    step = 8 if base_t == PT_BINARY else 4
                    n = len(data) // step
                    value = [var(base_t, self.stream(base + ["%s-%08X" % (name, i)]), cp) for i in range(n)]
            out.append({"tag": "0x%08X" % tag, "value": value})
        out.sort(key=lambda p: p["tag"])
        return out, cp

    def children(self, base, prefix):
        names = set()
        for entry in self.ole.listdir(streams=True, storages=True):
            if entry[:len(base)] == base and len(entry) > len(base) and entry[len(base)].startswith(prefix):
                names.add(entry[len(base)])
        return sorted(names)

    def message(self, base, header):
        props, cp = self.props(base, header)
        recips = [{"props": self.props(base + [r], 8, cp)[0]} for r in self.children(base, "__recip_version1.0_#")]
        attachs = []
        for a in self.children(base, "__attach_version1.0_#"):
            att = {"props": self.props(base + [a], 8, cp)[0]}
            if self.exists(base + [a, "__substg1.0_3701000D", "__properties_version1.0"]):
                att["message"] = self.message(base + [a, "__substg1.0_3701000D"], 24)
            attachs.append(att)
        return {"props": props, "recipients": recips, "attachments": attachs}


def main():
    m = Msg(sys.argv[1])
    json.dump(m.message([], 32), sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
