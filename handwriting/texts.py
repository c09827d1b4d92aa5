"""Text lines for the synthetic handwriting corpus, built only from what ships with Python plus templates.

Sources: English prose from the standard library's own documentation (`pydoc_data.topics`, the text
`help()` shows, plus a few module docstrings), cut into chunks of <= 40 characters on word boundaries;
everyday template sentences; and generated lines with digits and punctuation (dates, prices, times,
addresses, small sums, questions) so that every printable ASCII character occurs often.
The 20 `held_out_sentences()` are removed from the training pool explicitly (see `is_held_out`).
"""
from __future__ import annotations

import functools
import re
import warnings

import numpy as np

MAX_CHARS = 40  # longest line the corpus emits (the synthesis network's attention is sized for it)
PRINTABLE = "".join(chr(c) for c in range(32, 127))

_HELD_OUT = (
    "The cat sat by the warm stove.",
    "We met at 7 near the old bridge.",
    "My sister bought 2 red apples.",
    "Rain fell softly on the garden.",
    "Please call me after 5 tonight.",
    "The train leaves at 9 every day.",
    "A small dog barked at the mailman.",
    "Tom wrote 3 letters to his aunt.",
    "The river was cold and very clear.",
    "She painted the door bright blue.",
    "We walked home under a full moon.",
    "Bring 4 chairs into the kitchen.",
    "The children laughed at the clown.",
    "Our bus was late again on Monday.",
    "He found 6 shells on the beach.",
    "The bakery opens at 8 in summer.",
    "Leaves turn gold in late autumn.",
    "Anna keeps her keys in a blue box.",
    "The market sells fresh bread daily.",
    "I planted 12 tulips last spring.",
)


def held_out_sentences() -> list[str]:
    """The 20 fixed evaluation sentences (25-40 chars) that `training_lines` never produces."""
    return list(_HELD_OUT)


def _norm(s: str) -> str:
    """Lower-case, punctuation-free, single-spaced form used to compare lines with held-out sentences."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", s.lower()).split())


_HELD_NORM = tuple(_norm(s) for s in _HELD_OUT)


def is_held_out(line: str) -> bool:
    """True when `line` contains a held-out sentence or is a long (>= 12 chars) piece of one."""
    n = _norm(line)
    return any(h in n or (len(n) >= 12 and n in h) for h in _HELD_NORM)


# ---------------------------------------------------------------- prose from the standard library

_DOC_MODULES = ("textwrap", "string", "json", "csv", "random", "datetime", "calendar", "collections",
                "functools", "itertools", "pathlib", "shutil", "tarfile", "zipfile", "gzip", "heapq",
                "bisect", "fractions", "decimal", "statistics", "difflib", "sched", "queue", "argparse",
                "logging", "unittest", "email", "html", "http", "urllib", "socket", "threading", "contextlib",
                "enum", "dataclasses", "pprint", "copy", "operator", "os", "inspect", "io", "abc",
                "weakref", "tempfile", "glob", "fnmatch", "locale", "gettext", "codecs", "struct", "array")


def _raw_documents() -> list[str]:
    """English documentation text that ships with CPython (reference topics and module docstrings)."""
    import importlib

    docs: list[str] = []
    try:
        from pydoc_data.topics import topics
        docs.extend(topics.values())
    except ImportError:  # some distributions strip pydoc_data; the docstrings below still work
        pass
    for name in _DOC_MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        docs.append(mod.__doc__ or "")
        with warnings.catch_warnings():  # some attributes warn on access (deprecated aliases)
            warnings.simplefilter("ignore")
            objs = [getattr(mod, attr, None) for attr in dir(mod) if attr[:1].isalpha()]
        for obj in objs:  # only objects defined in the module itself: the pool must not depend on
            doc = getattr(obj, "__doc__", None)  # which submodules other code happened to import
            if getattr(obj, "__module__", None) == name and isinstance(doc, str) and len(doc) > 80:
                docs.append(doc)
    return docs


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-"})
_CLEAN_WORD = re.compile(r"^\(?([A-Za-z][a-z]*(?:'[a-z]{1,2})?|\d{1,4})\)?[.,;:!?]?$")


def _clean_fragments(doc: str) -> list[str]:
    """Runs of >= 4 plain English words from one document; code blocks, tables and markup are dropped."""
    out = []
    for para in re.split(r"\n\s*\n", doc.translate(_QUOTES)):
        lines = para.split("\n")
        if any(ln.startswith(("   ", "\t")) for ln in lines if ln.strip()):
            continue  # indented = code or grammar block
        text = re.sub(r'"(\w+)"|\*(\w+)\*', lambda m: m.group(1) or m.group(2), " ".join(lines))
        run: list[str] = []
        for word in text.split() + ["\x00"]:  # the sentinel is never clean and flushes the last run
            if _CLEAN_WORD.match(word):
                run.append(word)
                if word[-1] not in ".!?" and len(run) < 25:
                    continue
            if len(run) >= 4 and len(" ".join(run)) >= 15:
                out.append(" ".join(run))
            run = []
    return out


@functools.lru_cache(maxsize=1)
def _prose_sentences() -> tuple[str, ...]:
    """Unique cleaned prose fragments (deterministic order), held-out sentences removed."""
    seen: dict[str, None] = {}
    for doc in _raw_documents():
        for s in _clean_fragments(doc):
            seen.setdefault(s, None)
    return tuple(s for s in seen if not is_held_out(s))


def _chunk(words: list[str], start: int, max_len: int) -> str:
    """Words from `start` on, joined while the line stays <= max_len characters (at least one word)."""
    line = words[start][:MAX_CHARS]
    for w in words[start + 1:]:
        if len(line) + 1 + len(w) > max_len:
            break
        line += " " + w
    return line


def _prose_line(rng: np.random.Generator) -> str:
    """A chunk of a random documentation fragment, cut on word boundaries to a random 12-40 char target."""
    sents = _prose_sentences()
    sent = sents[int(rng.integers(len(sents)))]
    words = sent.split()
    target = int(rng.integers(12, MAX_CHARS + 1))
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])  # char offset of each word
    ok = np.flatnonzero(starts <= len(sent) - min(target, len(sent)))  # starts that leave `target` chars
    line = _chunk(words, int(ok[int(rng.integers(len(ok)))]), target)
    return line[0].upper() + line[1:] if rng.random() < 0.3 else line  # more capitals than mid-sentence cuts give


# ---------------------------------------------------------------- generated everyday / numeric lines

_NAMES = ("Alice Bob Carol David Emma Frank Grace Hugo Iris Jack Karl Laura Maria Nina Oscar Paul Quinn "
          "Rosa Sam Tina Uma Victor Wendy Xavier Yusuf Zoe Olga Ben Kim Leo").split()
_MONTHS = "January February March April May June July August September October November December".split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_NOUNS = ("book lamp table window garden letter phone coffee ticket paper road hill song story plant "
          "jacket basket bottle pencil notebook clock bicycle kettle candle map bag cup desk coin").split()
_ADJS = "new old green quiet heavy yellow tiny large cheap quick lazy bright dark soft sharp empty".split()
_VERBS = "carried opened fixed sold moved painted cleaned lost borrowed wrapped checked packed".split()
_PLACES = ("at the station", "in the office", "near the lake", "by the window", "on the shelf",
           "at the corner shop", "in the hall", "behind the house", "up the stairs", "on the train")
_WORDS = ("quiz jazz box fox zip wax jolly quirky zebra vixen oxygen query joke kiwi yak gazebo "
          "axle jinx fuzzy quay").split()


def _pick(rng: np.random.Generator, seq):
    """One element of `seq` chosen by `rng`."""
    return seq[int(rng.integers(len(seq)))]


def _everyday_line(rng: np.random.Generator) -> str:
    """A short template sentence about ordinary things (names, objects, places, days)."""
    n = int(rng.integers(1, 13))
    forms = (
        f"{_pick(rng, _NAMES)} {_pick(rng, _VERBS)} the {_pick(rng, _ADJS)} {_pick(rng, _NOUNS)}.",
        f"{_pick(rng, _NAMES)} left {n} {_pick(rng, _NOUNS)}s {_pick(rng, _PLACES)}.",
        f"Is the {_pick(rng, _NOUNS)} {_pick(rng, _PLACES)}?",
        f"See you on {_pick(rng, _DAYS)}, {_pick(rng, _NAMES)}!",
        f"The {_pick(rng, _ADJS)} {_pick(rng, _NOUNS)} was {_pick(rng, _PLACES)}.",
        f"Why did {_pick(rng, _NAMES)} take my {_pick(rng, _NOUNS)}?",
        f"What a {_pick(rng, _ADJS)} {_pick(rng, _WORDS)}!",
        f"{_pick(rng, _WORDS).capitalize()} and {_pick(rng, _WORDS)} for {_pick(rng, _NAMES)}",
        f"Dear {_pick(rng, _NAMES)}, thanks for the {_pick(rng, _NOUNS)}.",
    )
    return _pick(rng, forms)


def _numeric_line(rng: np.random.Generator) -> str:
    """A line dense in digits and punctuation: dates, prices, times, sums, addresses, code-ish notes."""
    r = lambda a, b: int(rng.integers(a, b))  # noqa: E731 - tiny local shorthand
    name, noun, word = _pick(rng, _NAMES), _pick(rng, _NOUNS), _pick(rng, _WORDS)
    forms = (
        f"{_pick(rng, _DAYS)}, {r(1, 29)} {_pick(rng, _MONTHS)} {r(1900, 2031)}",
        f"{r(1, 13):02d}/{r(1, 29):02d}/{r(1950, 2031)} at {r(0, 24):02d}:{r(0, 60):02d}",
        f"{r(2, 20)} {noun}s cost ${r(1, 99)}.{r(0, 100):02d} (tax {r(2, 25)}%)",
        f"Call {r(100, 999)}-{r(1000, 9999)} before {r(1, 12)}:{r(0, 6)}0 pm!",
        f"{r(1, 99)} + {r(1, 99)} = {r(2, 199)}; {r(2, 9)} * {r(2, 9)} < {r(10, 99)}",
        f"{name.lower()}_{word}@mail{r(1, 9)}.org #{r(1, 999)}",
        f"[{r(1, 9)}, {r(1, 9)}] | {{a: {r(0, 9)}}} ~ {word}^{r(2, 4)}",
        f"\"{word.capitalize()}\" & '{noun}' > `{name}`",
        f"C:\\{noun}s\\{word}_{r(1, 99)}.txt",
        f"Room {r(1, 500)}, {r(1, 90)} {_pick(rng, _NOUNS).capitalize()} St. (No. {r(1, 9)})",
        f"Q{r(1, 5)}: up {r(1, 40)}.{r(0, 9)}% vs {r(1, 40)}.{r(0, 9)}% ?",
        f"{r(10, 99)}-{r(10, 99)} = {r(0, 9)}... wow! ({word})",
        f"<{noun}> {r(1, 9)}/{r(2, 9)} + {r(1, 9)}/{r(2, 9)} = ?",
        f"#{r(1, 99)} {word.upper()} ~{r(1, 99)} km @ {r(5, 99)} km/h",
    )
    return _pick(rng, forms)


def _short_line(rng: np.random.Generator) -> str:
    """A 1-9 character line: a word, a number, an initial or an interjection."""
    forms = (_pick(rng, _NAMES), _pick(rng, _WORDS), str(int(rng.integers(0, 100000))),
             f"{_pick(rng, _NAMES)[0]}.", _pick(rng, ("Hi!", "OK", "Yes?", "No.", "Thanks!", "P.S.", "Wow", "x")))
    return _pick(rng, forms)


def training_lines(n: int, seed: int) -> list[str]:
    """`n` training lines (1-40 printable ASCII chars, mostly 10-35), deterministic in `seed`, never held out."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = np.random.default_rng(seed)
    makers = (_prose_line, _everyday_line, _numeric_line, _short_line)
    weights = np.array([0.55, 0.22, 0.19, 0.04])  # prose dominates; numeric lines cover the rare symbols
    lines: list[str] = []
    while len(lines) < n:
        line = makers[int(rng.choice(len(makers), p=weights))](rng).strip()[:MAX_CHARS].rstrip()
        if line and not is_held_out(line):
            lines.append(line)
    return lines
