#!/usr/bin/env python3
"""Writes raw G.711 mu-law audio for SIPp's rtp_stream: a 1 s, 8 kHz tone at -20 dBFS.

SIPp 3.6.1 sends the file's bytes as they are, 160 per 20 ms packet (a WAV header would go out
as audio), so the file is headerless and a whole number of packets long (8000 bytes = 50), which
keeps every packet aligned when the stream loops.

usage: make_tone.py OUT [FREQ_HZ]
"""
import math
import sys

RATE_HZ = 8000
SECONDS = 1
LEVEL = 0.1  # -20 dBFS peak


def mulaw(sample):
    """G.711 mu-law byte of a 16-bit linear sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), clip) + bias
    exponent = min(max((magnitude >> 7).bit_length() - 1, 0), 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def main():
    out = sys.argv[1]
    freq_hz = float(sys.argv[2]) if len(sys.argv) > 2 else 400.0
    n = RATE_HZ * SECONDS
    data = bytes(
        mulaw(int(round(LEVEL * 32767 * math.sin(2 * math.pi * freq_hz * i / RATE_HZ))))
        for i in range(n))
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
