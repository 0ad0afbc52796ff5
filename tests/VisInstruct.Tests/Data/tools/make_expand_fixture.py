"""Builds the expand-to-square golden fixture: images, a raw SVIT input with every kind of box, and (when the
path of SVIT's tools/expand_to_square.py is given) the reference output.

    python3 make_expand_fixture.py OUT_DIR [PATH/TO/expand_to_square.py]

Needs Pillow. The reference script is run as a separate process on the files this writes; it is not part of
VisInstruct.
"""
import json
import os
import random
import subprocess
import sys

from PIL import Image

out = sys.argv[1]
images_dir = os.path.join(out, 'images')
os.makedirs(images_dir, exist_ok=True)
rng = random.Random(7)

sizes = {101: (800, 600), 102: (600, 800), 103: (500, 500), 104: (640, 480), 105: (480, 640), 106: (1024, 768),
         107: (333, 500), 108: (80, 80), 109: (800, 800), 110: (16, 16), 111: (1, 3), 112: (799, 600)}
for image_id, (w, h) in sizes.items():
    img = Image.new('RGB', (w, h), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    path = os.path.join(images_dir, f'{image_id}.jpg')
    if image_id == 104:
        img.save(path, format='PNG')  # a PNG named .jpg: PIL goes by the bytes
    elif image_id == 105:
        img.save(path, format='JPEG', progressive=True)
    elif image_id == 106:
        exif = Image.Exif()
        exif[0x010E] = 'x' * 3000  # a large APP1 segment before the frame header
        img.save(path, format='JPEG', exif=exif)
    else:
        img.save(path, format='JPEG', quality=80)


def box(values):
    return '[' + ', '.join(values) + ']'


def random_box():
    xs = sorted(rng.randint(0, 1000) for _ in range(2))
    ys = sorted(rng.randint(0, 1000) for _ in range(2))
    return box([repr(v / 1000) for v in (xs[0], ys[0], xs[1], ys[1])])


traps = json.load(open(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'shared', 'reference', 'python_round3_traps.json')))
trap_boxes = {}
for row in traps:
    w = row['w'] if isinstance(row, dict) else row[1]
    i = row['i'] if isinstance(row, dict) else row[0]
    if w in (80, 500, 800, 16):
        trap_boxes.setdefault(w, []).append(i)

items = []
special = [
    '[0.5, 0.0, 1.0, 1]', '[0, 0, 0, 0]', '[.5, 5., 0.25, 00.250]', '[1.2.3, 0.1, 0.2, 0.3]', '[., 0.1, 0.2, 0.3]',
    '[1.5, 2.0, 0.333, 0.667]', '[0.1,0.2,0.3,0.4]', '[0.1, 0.2, 0.3]', '[0.1, 0.2, 0.3, 0.4, 0.5]', '[0.0005, 0.0015, 0.0025, 0.9995]',
]
for image_id, (w, h) in sizes.items():
    conversations = []
    qas = []
    for k in range(6):
        b1, b2 = random_box(), random_box()
        q = f'Where is the <st>cup<ed> {b1} relative to the <st>plate<ed> {b2}?'
        a = f'The <st>cup<ed> {b1} sits left of the <st>plates<ed> {b2}, {random_box()}. Caf\u00e9 \u2615 \U0001F600.'
        qas += [{'from': 'user', 'value': q}, {'from': 'gpt', 'value': a}]
    conversations.append({'content': qas})
    conversations.append({'topic': 'Edge cases', 'content': [
        {'from': 'user', 'value': ' and '.join(special)},
        {'from': 'gpt', 'value': 'Same box twice: ' + special[0] + ' then ' + special[0]},
    ]})
    if w == h and w in trap_boxes:
        values = [repr(i / w) for i in trap_boxes[w]]
        boxes = [box(values[j:j + 4]) for j in range(0, len(values) - 3, 4)]
        conversations.append({'content': [{'from': 'user', 'value': 'Traps: ' + ' '.join(boxes)}, {'from': 'gpt', 'value': 'ok'}]})
    items.append({'image_id': image_id, 'task': 'referring_qa', 'conversations': conversations})

# Chained str.replace: find a box whose converted text is another box in the same value (image 101, 800x600).
w, h = sizes[101]


def convert(b):
    x1, y1, x2, y2 = [float(p) for p in b.strip('[]').split(',')]
    px = round(x1 * w), round(y1 * h), round(x2 * w), round(y2 * h)
    px = px[0], px[1] + (w - h) // 2, px[2], px[3] + (w - h) // 2
    return box([repr(round(i / w, 3)) for i in px])


first = '[0.1, 0.2, 0.3, 0.4]'
second = convert(first)
items.append({'image_id': 101, 'conversations': [{'content': [
    {'from': 'user', 'value': f'Chained: {first} and {second} and {convert(second)}'},
    {'from': 'gpt', 'value': 'No boxes here.'},
]}]})

with open(os.path.join(out, 'input.json'), 'w') as fh:
    json.dump(items, fh, indent=2)

if len(sys.argv) > 2:
    subprocess.run([sys.executable, sys.argv[2], '--input_file', os.path.join(out, 'input.json'),
                    '--image_dir', images_dir, '--output_file', os.path.join(out, 'expected.json')],
                   check=True, stderr=subprocess.DEVNULL)
