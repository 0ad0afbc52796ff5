"""Writes stablellava_expected.json: SHA-256 of the LLaVA file that the StableLLaVA conversion must produce for each
reference ability file, computed the way data_to_llava.py writes (json.dump of a list, default separators and
ensure_ascii), under the naming rule VisInstruct documents (image = <image-path>/<entry image>, id zero-padded to 12).

    python3 make_stablellava_expected.py ../../../../shared/reference/stablellava/dataset stablellava_expected.json
"""
import hashlib
import json
import os
import sys

src, dst = sys.argv[1], sys.argv[2]
expected = {}
for name in sorted(os.listdir(src)):
    if not name.endswith('.json'):
        continue
    data = json.load(open(os.path.join(src, name)))
    for prefix in ('', 'train_set'):
        out = [{'id': e['id'].zfill(12),
                'image': (prefix + '/' + e['image']) if prefix else e['image'],
                'conversations': [{'from': 'human', 'value': e['question']}, {'from': 'gpt', 'value': e['answer']}]}
               for e in data]
        expected[f'{name}|{prefix}'] = hashlib.sha256(json.dumps(out).encode('ascii')).hexdigest()
json.dump(expected, open(dst, 'w'), indent=2, sort_keys=True)
