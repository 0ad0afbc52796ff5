"""Writes small images in every header format VisInstruct reads, with the sizes PIL reports, to OUT_DIR.

    python3 make_image_headers.py OUT_DIR
"""
import json
import os
import sys

from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = [
    ('baseline.jpg', 'JPEG', (37, 23), {}),
    ('progressive.jpg', 'JPEG', (23, 37), {'progressive': True}),
    ('png-named.jpg', 'PNG', (41, 17), {}),
    ('image.png', 'PNG', (300, 200), {}),
    ('image.gif', 'GIF', (19, 11), {}),
    ('image.bmp', 'BMP', (13, 29), {}),
    ('lossy.webp', 'WEBP', (31, 21), {'quality': 50}),
    ('lossless.webp', 'WEBP', (21, 31), {'lossless': True}),
]
sizes = {}
for name, fmt, size, options in cases:
    path = os.path.join(out, name)
    Image.new('RGB', size, (200, 100, 50)).save(path, format=fmt, **options)
    with Image.open(path) as img:
        sizes[name] = list(img.size)
# An extended WebP (VP8X): with an alpha channel PIL writes one.
path = os.path.join(out, 'alpha.webp')
Image.new('RGBA', (17, 9), (1, 2, 3, 100)).save(path, format='WEBP', lossless=False, quality=60)
with Image.open(path) as img:
    sizes['alpha.webp'] = list(img.size)
with open(os.path.join(out, 'sizes.json'), 'w') as fh:
    json.dump(sizes, fh, indent=2, sort_keys=True)
