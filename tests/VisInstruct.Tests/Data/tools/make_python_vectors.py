"""Writes python_vectors.json: what CPython prints for float repr, round(x, n), and json.dumps, as test vectors.

Run with any CPython 3: python3 make_python_vectors.py ../python_vectors.json
The vectors are facts of Python's arithmetic and JSON encoder; the tests check VisInstruct against them.
"""
import json
import random
import struct
import sys


def bits(x):
    return str(struct.unpack('<q', struct.pack('<d', x))[0])


rng = random.Random(20261123)
floats = [0.0, -0.0, 0.5, 1.0, 1.5, 0.1, 0.2, 0.1 + 0.2, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.00012345,
          123456789012345680.0, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 1e22, 1e21, 100.0, 1e100,
          0.062, 0.0625, 2.675, 1 / 3, 2 / 3, 12345.678, -12345.678, 3.0e-3, 0.001, 0.999, 0.9995]
for _ in range(1500):
    floats.append(struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0])
for _ in range(1500):
    floats.append(rng.random() * 10 ** rng.randint(-8, 20))
for w in (3, 7, 80, 333, 480, 500, 640, 800, 1024):
    for i in range(0, w + 1, max(1, w // 60)):
        floats.append(i / w)
floats = [f for f in floats if f == f and abs(f) != float('inf')]

rounds = []
for f in floats[:2500]:
    for n in (0, 1, 3, 6):
        rounds.append([bits(f), n, bits(round(f, n))])

strings = ['', 'plain', 'quote " backslash \\ slash / lt < gt > amp &', 'tab\there\nnewline\rcr\bbs\ffeed',
           ''.join(chr(c) for c in range(0, 32)), '\x7f del', 'caf\u00e9 \u2014 \u4e2d\u6587', 'emoji \U0001F600 \U0001F9D1\u200d\U0001F373',
           '\u2028\u2029', '<image>\nWhat is this?', "it's", 'surrogate \ud800 alone']
dumps = []
for s in strings:
    # The text as UTF-16 code units, so that lone surrogates survive the trip through JSON.
    codes = list(struct.unpack('<%dH' % (len(s.encode('utf-16-le', 'surrogatepass')) // 2), s.encode('utf-16-le', 'surrogatepass')))
    row = {'codes': codes, 'ascii': json.dumps(s)}
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in s):
        row['utf8'] = json.dumps(s, ensure_ascii=False)
    dumps.append(row)

documents = [
    [],
    {},
    [[], {}, [1, [2, []]], {"a": {}, "b": [{}]}],
    {"id": "000000000001", "image": ["a.jpg", "b.jpg"], "conversations": [{"from": "human", "value": "<image>\nQ?"}, {"from": "gpt", "value": "A."}]},
    {"n": [0, -1, 12345678901234567890, 1.0, 1.5, 1e-07, 1e+16, -0.0, True, False, None]},
]
layouts = []
for doc in documents:
    for indent in (None, 0, 2, 4):
        layouts.append({'doc': json.dumps(doc), 'indent': indent, 'out': json.dumps(doc, indent=indent)})

out = {
    'repr': [[bits(f), repr(f)] for f in floats],
    'round': rounds,
    'dumps': dumps,
    'layouts': layouts,
}
with open(sys.argv[1], 'w') as fh:
    json.dump(out, fh)
