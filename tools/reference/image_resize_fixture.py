"""PIL reference for libs/core/src/images/resize.ts: bicubic resizes and CLIP's preprocessing geometry.

Run with /usr/bin/python3 (Debian's python3-pil and python3-torch). Writes
libs/core/src/images/fixtures/resize.json: seeded random RGB images, PIL's BICUBIC resizes (down,
up, mixed) and torchvision-style Resize(shorter side) + CenterCrop results, all as uint8 lists.
"""
import json
import os

import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
out_dir = os.path.join(os.path.dirname(__file__), '..', '..', 'libs', 'core', 'src', 'images', 'fixtures')
os.makedirs(out_dir, exist_ok=True)


def image(w, h):
    # Smooth gradients plus noise: a photo-like mix of low and high frequencies.
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x / w, y / h, (x + y) / (w + h)], axis=-1) * 200
    return np.clip(base + rng.normal(0, 25, size=(h, w, 3)), 0, 255).astype(np.uint8)


def clip_geometry(img, size):
    w, h = img.size
    short = min(w, h)
    nw = size if w == short else int(size * w / short)
    nh = size if h == short else int(size * h / short)
    r = img.resize((nw, nh), Image.BICUBIC)
    left = int(round((nw - size) / 2.0))
    top = int(round((nh - size) / 2.0))
    return r.crop((left, top, left + size, top + size))


cases = []
for (w, h), (tw, th) in [((37, 23), (16, 10)), ((9, 7), (20, 15)), ((40, 12), (13, 30))]:
    src = image(w, h)
    res = np.asarray(Image.fromarray(src).resize((tw, th), Image.BICUBIC))
    cases.append({'kind': 'resize', 'width': w, 'height': h, 'target': [tw, th],
                  'input': src.flatten().tolist(), 'output': res.flatten().tolist()})
for (w, h), size in [((50, 31), 16), ((23, 41), 12)]:
    src = image(w, h)
    res = np.asarray(clip_geometry(Image.fromarray(src), size))
    cases.append({'kind': 'clip', 'width': w, 'height': h, 'size': size,
                  'input': src.flatten().tolist(), 'output': res.flatten().tolist()})

with open(os.path.join(out_dir, 'resize.json'), 'w') as f:
    json.dump({'pil': Image.__version__, 'layout': 'HWC uint8', 'cases': cases}, f)
print('wrote', len(cases), 'cases')
