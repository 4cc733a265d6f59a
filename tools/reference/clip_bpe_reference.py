#!/usr/bin/python3
"""Reference fixture for libs/core/src/text/clip-bpe.ts.

An independent Python re-implementation of the byte-level BPE tokenizer published with OpenAI's
CLIP (simple_tokenizer.py), used to check the TypeScript port token for token. Run with Debian's
/usr/bin/python3, which has the `regex` module (needed for \\p{L} / \\p{N}):

    /usr/bin/python3 tools/reference/clip_bpe_reference.py

The real CLIP merges file (bpe_simple_vocab_16e6.txt.gz, 49k merges) is not available here, so
this script learns a small merges list (a few hundred merges) from a fixed corpus with plain BPE
training over CLIP's pre-tokenisation, then tokenises ~50 varied sentences with it. Everything is
deterministic; the outputs are committed and CI never runs Python.

Writes:
  libs/core/src/text/fixtures/clip-bpe-reference.json  merges, vocab and the expected ids
  libs/core/src/text/html-entities.ts                   the HTML5 named character references and
                                                        numeric-reference fixups that Python's
                                                        html.unescape applies (CLIP unescapes twice);
                                                        run `npx prettier --write` on it afterwards

ftfy is not installed here; like the TypeScript port, the cleanup applies only the parts of
ftfy.fix_text that matter for typed prompts (NFC normalisation, curly quotes -> straight quotes).
"""

import html
import html.entities
import json
import re
import unicodedata
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[2]
TEXT_DIR = ROOT / "libs" / "core" / "src" / "text"
FIXTURE = TEXT_DIR / "fixtures" / "clip-bpe-reference.json"
ENTITIES = TEXT_DIR / "html-entities.ts"

CONTEXT_LENGTH = 77
NUM_MERGES = 300
SHORT_MERGES = 40  # a second tokenizer that keeps only the first N merges (CLIP's slice rule)
SOT = "<|startoftext|>"
EOT = "<|endoftext|>"
HEADER = "#version: 0.2 - soundedit test merges"


def byte_alphabet():
    """Map each byte to a printable character: printable Latin-1 bytes map to themselves, the
    other 68 bytes to code points 256.. in byte order."""
    keep = [b for b in range(256) if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    table = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    # CLIP lists the printable bytes first, then the remapped ones (this order fixes the ids).
    order = keep + [b for b in range(256) if b not in keep]
    return table, order


BYTE_TO_CHAR, BYTE_ORDER = byte_alphabet()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}

PRETOKEN = regex.compile(
    r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
    regex.IGNORECASE,
)


def ftfy_subset(text):
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u02bc\u2018-\u201b]", "'", text)
    return re.sub("[\u201c-\u201f]", '"', text)


def clean(text):
    text = html.unescape(html.unescape(ftfy_subset(text))).strip()
    return re.sub(r"\s+", " ", text).strip().lower()


def pretokens(text):
    return PRETOKEN.findall(clean(text))


def to_symbols(token):
    chars = [BYTE_TO_CHAR[b] for b in token.encode("utf-8")]
    chars[-1] = chars[-1] + "</w>"
    return chars


def learn_merges(corpus, count):
    """Plain BPE training: repeatedly merge the most frequent adjacent pair (ties: smallest pair)."""
    freq = {}
    for line in corpus:
        for tok in pretokens(line):
            if tok in (SOT, EOT):
                continue
            key = tuple(to_symbols(tok))
            freq[key] = freq.get(key, 0) + 1
    words = dict(freq)
    merges = []
    while len(merges) < count:
        pairs = {}
        for word, n in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + n
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = {}
        for word, n in words.items():
            out = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return merges


class ClipBpe:
    """The tokenizer, built from merges-file text the way CLIP builds it."""

    def __init__(self, merges_text, max_merges=49152 - 256 - 2):
        lines = merges_text.split("\n")[1 : max_merges + 1]
        merges = [tuple(line.split()) for line in lines if line != ""]
        base = [BYTE_TO_CHAR[b] for b in BYTE_ORDER]
        vocab = base + [c + "</w>" for c in base] + ["".join(m) for m in merges] + [SOT, EOT]
        self.vocab = vocab
        self.encoder = {tok: i for i, tok in enumerate(vocab)}
        self.decoder = dict(enumerate(vocab))
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.cache = {SOT: [SOT], EOT: [EOT]}

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            out = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and word[i] == best[0] and word[i + 1] == best[1]:
                    out.append(best[0] + best[1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = out
        self.cache[token] = word
        return word

    def encode(self, text):
        ids = []
        for tok in pretokens(text):
            mapped = "".join(BYTE_TO_CHAR[b] for b in tok.encode("utf-8"))
            ids.extend(self.encoder[piece] for piece in self.bpe(mapped))
        return ids

    def decode(self, ids):
        joined = "".join(self.decoder[i] for i in ids)
        raw = bytes(CHAR_TO_BYTE[c] for c in joined)
        return raw.decode("utf-8", errors="replace").replace("</w>", " ")


CORPUS = [
    "the sound of a dog barking in the distance",
    "a photo of a person smiling at the camera",
    "rain falling on a tin roof during a thunderstorm",
    "waves crashing on the shore while seagulls cry",
    "a crackling fire in the fireplace on a cold night",
    "people laughing and talking in a crowded restaurant",
    "the engine of a car starting and driving away",
    "birds singing in the forest at sunrise",
    "a baby crying while the mother sings a lullaby",
    "wind blowing through the trees before the storm",
    "an explosion followed by sirens and shouting",
    "a happy face, a sad face and an angry face",
    "children playing in the snow on a winter morning",
    "thunder rumbling over the mountains in the evening",
    "the sound of footsteps on a wooden floor",
    "a cat meowing at the door, waiting to be let in",
    "it's raining, they're singing, we've been waiting and i'm here",
    "music playing at a party with loud bass and cheering",
    "water dripping from a tap in a quiet kitchen",
    "the city at night: traffic, horns and distant music",
]

SENTENCES = [
    "a photo of a dog.",
    "The QUICK brown fox jumps over the lazy dog!!!",
    "it's, they're, we've, I'm, you'll, he'd, can't",
    "IT'S LOUD AND WE'RE HERE",
    "naïve café résumé — déjà vu",
    "cafe\u0301 with a combining accent",
    "ﬁsh and ﬂowers (ligatures)",
    "Smile 😀🎉 party 👍🏽",
    "family 👨\u200d👩\u200d👧 emoji sequence",
    "Tom &amp; Jerry &lt;3 &quot;quoted&quot; &#39;single&#39; &#x27;hex&#x27;",
    "&amp;amp; twice escaped &amp;lt;tag&amp;gt; and &amp;amp;amp; thrice",
    "&ampx &notit; &copy2024 &unknownentity; &#0; &#128; &#x110000; &#55296; &#1;",
    "&AElig &aelig; &nbsp;spaced&NotNestedGreaterGreater; &#X41;&#x62",
    "   lots   of\t\twhitespace \n\n and newlines   ",
    "\u00a0non-breaking\u2003em-space\u3000ideographic\u2028line",
    "\x1c\x1d\x1e\x1f information separators and \x85 next line",
    "\ufeffbyte order mark and zero\u200bwidth space",
    "1234567890 and 3.14159 and 1,000,000",
    "Ⅻ roman numeral ½ fraction ² superscript ٣ arabic digit",
    "日本語のテキスト 中文 한국어",
    "Привет мир Ελληνικά ΟΔΟΣ",
    "İstanbul and DİYARBAKIR",
    "Straße ǅ titlecase ﬀ",
    "<|startoftext|>inline special<|endoftext|>",
    "<|ENDOFTEXT|> uppercase special",
    "don’t curly ‘quotes’ “double” ‛reversed‟ ʼmodifier",
    "email@example.com https://example.com/path?q=1&r=2",
    "C++ is > C# ... ?! ¿qué? ¡sí!",
    "'s at start and ' lone apostrophe '' and a'sb",
    "the ſ long s 'ſ and 'S 'LL 'D",
    "a</w>b literal end-of-word marker",
    "",
    "     ",
    "aaaaaaaa ooooo eeeeeeee sss",
    "x\ty",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "\x00 null and \x07 bell",
    "the sound of thunder",
    "a crying baby",
    "rain on a window",
    "an angry face with a loud voice",
    "ROARING ENGINES!!! and SCREECHING tyres???",
    "👍" * 40,
    " ".join(["the sound of a dog barking in the distance"] * 10),
]


def main():
    merges = learn_merges(CORPUS, NUM_MERGES)
    assert len(merges) == NUM_MERGES, len(merges)
    merges_text = "\n".join([HEADER] + [f"{a} {b}" for a, b in merges]) + "\n"
    full = ClipBpe(merges_text)
    short = ClipBpe(merges_text, max_merges=SHORT_MERGES)
    sot, eot = full.encoder[SOT], full.encoder[EOT]

    cases = []
    for text in SENTENCES:
        content = full.encode(text)
        cases.append(
            {
                "text": text,
                "ids": [sot] + content + [eot],
                "decoded": full.decode(content),
                "shortIds": [short.encoder[SOT]] + short.encode(text) + [short.encoder[EOT]],
            }
        )
    # Decoding a cut-off multi-byte character must give U+FFFD the way Python's 'replace' does.
    emoji = full.encode("😀 🎉")
    partial = [{"ids": emoji[:k], "decoded": full.decode(emoji[:k])} for k in range(1, len(emoji) + 1)]

    fixture = {
        "note": "Generated by tools/reference/clip_bpe_reference.py; do not edit.",
        "contextLength": CONTEXT_LENGTH,
        "header": HEADER,
        "merges": [f"{a} {b}" for a, b in merges],
        "shortMerges": SHORT_MERGES,
        "vocabSize": len(full.vocab),
        "shortVocabSize": len(short.vocab),
        "sot": sot,
        "eot": eot,
        "vocab": {tok: i for i, tok in enumerate(full.vocab)},
        "cases": cases,
        "partialDecode": partial,
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{FIXTURE.relative_to(ROOT)}: {FIXTURE.stat().st_size} bytes, {len(cases)} cases")
    write_entities()


def ts_string(s):
    return json.dumps(s, ensure_ascii=True)


def write_entities():
    names = sorted(html.entities.html5)
    lines = [
        "// Generated by tools/reference/clip_bpe_reference.py from Python's html.entities.html5",
        "// (the WHATWG list of HTML5 named character references); do not edit.",
        "",
        "/** Named references, keyed without the leading '&' ('amp;' and the legacy 'amp'). */",
        "export const HTML5_NAMED_REFERENCES: ReadonlyMap<string, string> = new Map([",
    ]
    lines += [f"  [{ts_string(n)}, {ts_string(html.entities.html5[n])}]," for n in names]
    lines += ["]);", ""]
    # Numeric references that HTML5 maps to another character (NUL, CR, the C1 range via cp1252).
    fixups = {}
    for cp in range(0, 0xA0):
        got = html.unescape(f"&#{cp};")
        if cp in html._invalid_charrefs:  # noqa: SLF001 - the table is what we are exporting
            fixups[cp] = got
    lines += [
        "/** Numeric references that HTML5 replaces with another character. */",
        "export const NUMERIC_REFERENCE_FIXUPS: ReadonlyMap<number, string> = new Map([",
    ]
    lines += [f"  [0x{cp:x}, {ts_string(v)}]," for cp, v in sorted(fixups.items())]
    lines += ["]);", ""]
    dropped = sorted(html._invalid_codepoints)  # noqa: SLF001
    lines += [
        "/** Code points that a numeric reference may not produce: the reference becomes ''. */",
        "export const NUMERIC_REFERENCE_DROPPED: ReadonlySet<number> = new Set([",
    ]
    for i in range(0, len(dropped), 10):
        lines.append("  " + ", ".join(f"0x{cp:x}" for cp in dropped[i : i + 10]) + ",")
    lines += ["]);", ""]
    ENTITIES.write_text("\n".join(lines), encoding="utf-8")
    print(f"{ENTITIES.relative_to(ROOT)}: {ENTITIES.stat().st_size} bytes, {len(names)} names")


if __name__ == "__main__":
    main()
