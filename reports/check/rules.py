"""The fact checker's rules: each sentence's figures and claims re-derived from the facts it cites.

It knows nothing of how the story was written, so it catches what a desk editor would: a
number no cited fact renders to, a direction word that contradicts the sign of the change
it describes, a change that rounds to 0.0% called a rise or a fall, a superlative ("lowest
since", "worst week since", "in the data", "third straight") the history facts do not
back, and artifacts of templating ("None", "nan", brackets, an empty section).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from reports.check.document import Cited, Failure, table_cells
from reports.core.formatting import Formatter
from reports.document import Brief, QuoteBlock, block_sentences
from reports.document.stress import STRESS_PERIODS
from reports.story.lexicon import ORDINALS, PART_OF_MONTH, TIERS, VOLATILITY_TIERS


NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
ARTIFACT = re.compile(r"\b(None|nan|NaN|inf|null|undefined)\b|[\[\]{}]|\s[,.;:]|\.\.|\s{2,}|^\s|\s$")
CHANGE_SUFFIXES = ("change_pct", "change_usd", "change_pp", "change", "median_pct", "average_pct", "btc_pct", "market_pct", "gap_pp")

_TIER_WORDS = [tier for tiers in (TIERS, VOLATILITY_TIERS) for tier in tiers]
DOWN_WORDS = {w for tier in _TIER_WORDS for pair in tier.down for w in pair} | {
    "down", "fell", "falls", "fall", "lower", "loss", "losses", "drop", "decline", "declined", "declines", "lost",
    "sheds", "shed", "slide", "sell-off", "pullback", "shrank",
}
UP_WORDS = {w for tier in _TIER_WORDS for pair in tier.up for w in pair} | {
    "up", "rose", "rises", "rise", "higher", "gain", "gains", "added", "adds", "rebound", "rebounded", "rally", "advance",
}
FLAT_WORDS = ("held steady", "holds steady", "unchanged", "little changed", "flat")
FOLLOWING = {"loss", "drop", "decline", "fall", "lower", "rise", "gain", "higher", "advance"}
WINDOW_WORDS = 3
CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:and|while|whereas|but|against|versus)\b")

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SINCE = re.compile(rf"\b(lowest|highest|worst|best|largest|biggest|weakest|strongest)\b[^.;]*?\bsince "
                   rf"((?:early |mid-|late )?)((?:{MONTHS}) \d{{4}})")
IN_THE_DATA = re.compile(r"\b(lowest|highest|worst|best|largest|biggest)\b[^.;]*?\b(in the data|in data going back to|"
                         r"since its history in the data begins|on record)\b")
IN_DAYS = re.compile(r"\b(lowest|highest) in (\d+) days\b")
RANGE_EDGE = re.compile(r"\b(bottom|top) of its (\d+)-day range\b")
STREAK = re.compile(rf"\b({'|'.join(ORDINALS[2:])}) (straight|consecutive) (week|weekly)\b|"
                    rf"\bfor (?:at least )?the ({'|'.join(ORDINALS[2:])}) (week|weeks) (running|in a row)\b")
LOW_SIDE, HIGH_SIDE = {"lowest", "worst", "weakest"}, {"highest", "best", "strongest"}
LOW_TOKENS, HIGH_TOKENS = ("low", "fall", "loss", "worst", "down", "outflow"), ("high", "rise", "gain", "best", "up", "inflow")
# Causal wording: the data shows what moved together, never why. A sentence may say so only when it cites a
# source that says so (an attributed quote); the data holds none, so generated prose is refused it outright.
CAUSAL = re.compile(r"\b(because|caused by|causing|due to|driven by|owing to|as a result of|thanks to|triggered by|"
                    r"resulted in|results in|led to|leads to|sparked by|fuell?ed by|prompted by|on the back of|"
                    r"attributed to|blamed on|in response to)\b", re.IGNORECASE)


def check_sentence(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    unknown = [key for key in cited.facts if key not in table or table[key] is None]
    if unknown:
        return [f"cites facts the brief does not hold: {', '.join(unknown)}"]
    reasons = _artifacts(cited.text)
    reasons += [f"number {token} has no source among the cited facts" for token in unsourced(cited, table, fmt)]
    reasons += _direction(cited, table, fmt)
    reasons += _superlatives(cited, table, fmt)
    reasons += _comparisons(cited, table)
    reasons += _ordinals(cited, table)
    reasons += _stress_periods(cited, table)
    reasons += causal_claims(cited.text)
    return reasons


def causal_claims(text: str) -> list[str]:
    """ "fell because of ETF outflows": a cause the data cannot show (words of association only: "as", "alongside",
    "coincided with")."""
    return [f"causal wording {found.group()!r}: the data shows association, not cause; say \"coincided with\", "
            "\"alongside\" or \"as\"" for found in CAUSAL.finditer(text)]


def _artifacts(text: str) -> list[str]:
    if not text.strip():
        return ["empty sentence"]
    found = ARTIFACT.search(text)
    return [f"templating artifact {found.group()!r}"] if found else []


def _empty_sections(doc: Brief) -> Iterator[Failure]:
    for section in doc.sections:
        words = [item.text for block in section.blocks for item in block_sentences(block)]
        words += [block.text for block in section.blocks if isinstance(block, QuoteBlock)]  # an editor's note
        if not any(text.strip() for text in words):
            yield Failure(section.id, section.title, "empty section")


def _cell_artifacts(doc: Brief) -> Iterator[Failure]:
    for section, cell in table_cells(doc):
        if re.search(r"\b(None|nan|NaN|inf)\b|[\[\]{}]", cell.text):
            yield Failure(f"{section.id} table", cell.text, "templating artifact in a table cell")
        for reason in causal_claims(cell.text):
            yield Failure(f"{section.id} table", cell.text, reason)


# --- numbers ------------------------------------------------------------------------------------------


def renderings(value: Any, fmt: Formatter) -> set[str]:
    """Every way the house style can print a fact: the only strings a number may come from."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, date):
        return {fmt.day(value), fmt.date(value), fmt.month(value)}
    if isinstance(value, (int, float)):
        out: set[str] = set()
        for v in (value, abs(value)):
            out |= {fmt.price(v) if v else "", fmt.money(v), fmt.percent(v), fmt.points(v), fmt.number(v),
                    fmt.number(v, 2), fmt.index(v)}
        return out
    if isinstance(value, (tuple, list)):
        out = set().union(*(renderings(item, fmt) for item in value)) if value else set()
        return out | {", ".join(map(str, value))}
    return {str(value)}


def unsourced(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    """Number tokens in the sentence that no cited fact renders to."""
    sources: set[str] = set()
    for key in cited.facts:
        for text in renderings(table[key], fmt):
            sources |= set(NUMBER.findall(text))
    return [token for token in NUMBER.findall(cited.text) if token not in sources]


# Kept for the tests and callers that used tests/trace.py.
unsourced_numbers = unsourced


# --- direction words -------------------------------------------------------------------------------------


def is_change(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in CHANGE_SUFFIXES


def _direction(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    """Each cited change is checked where its number stands: the words just before it (back to the
    previous figure or clause break) and the word after must not point the other way, a sign shown
    must be its own, and a change that rounds to zero must carry no direction at all. When two cited
    changes print the same number, the place passes if either reading of it is consistent."""
    changes = [key for key in cited.facts if is_change(key) and isinstance(table[key], (int, float))]
    text = cited.text
    spans = [match.span() for match in NUMBER.finditer(text)]
    reasons: list[str] = []
    for start, end in spans:
        candidates = [key for key in changes if _shown_number(key, table[key], fmt) == text[start:end]]
        if not candidates:
            continue
        previous = max((e for s, e in spans if e <= start), default=0)
        clause = CLAUSE_BREAK.split(text[previous:start].lower())[-1]
        near = set(re.findall(r"[a-z-]+", clause)[-WINDOW_WORDS:])
        near |= set(re.findall(r"[a-z-]+", text[end:end + 16].lower())[:1]) & FOLLOWING
        sign = text[max(0, start - 2):start].replace("$", "")[-1:]
        problems = [_place_problem(key, table[key], near, sign) for key in candidates]
        found = [problem for problem in problems if problem]
        if len(found) == len(problems):  # no reading of the number is consistent
            reasons.append(found[0])
    if len(changes) == 1 and not _has(text, _shown_number(changes[0], table[changes[0]], fmt)):
        reasons += _whole_sentence_direction(changes[0], table[changes[0]], text)
    return reasons


def _place_problem(key: str, value: float, near: set[str], sign: str) -> str | None:
    flat = value == 0 if key.endswith("usd") else round(value, 1) == 0
    moved = near & (UP_WORDS | DOWN_WORDS)
    if flat and (moved or sign in ("+", "-", "−")):
        return f"{key} rounds to zero ({value:+.3f}) but is called a move: {_said(moved, sign)}"
    if flat:
        return None
    if value < 0 and (near & UP_WORDS or sign == "+"):
        return f"{key} is a fall ({value:+.2f}) but the text says {_said(near & UP_WORDS, sign)}"
    if value > 0 and (near & DOWN_WORDS or sign in ("-", "−")):
        return f"{key} is a rise ({value:+.2f}) but the text says {_said(near & DOWN_WORDS, sign)}"
    return None


def _said(words: set[str], sign: str) -> str:
    return " ".join(sorted(words)) if words else f"a {sign} sign"


def _has(text: str, token: str) -> bool:
    return token in NUMBER.findall(text)


def _shown_number(key: str, value: float, fmt: Formatter) -> str:
    rendered = fmt.money(abs(value)) if key.endswith("usd") else fmt.points(abs(value)) if key.endswith("pp") \
        else fmt.index(abs(value)) if key.endswith(".change") else fmt.percent(abs(value))
    found = NUMBER.findall(rendered)
    return found[0] if found else rendered


def _whole_sentence_direction(key: str, value: float, text: str) -> list[str]:
    """A sentence that cites one change and shows no number for it ("bitcoin held steady")."""
    words = set(re.findall(r"[a-z-]+", text.lower()))
    flat_said = any(phrase in text.lower() for phrase in FLAT_WORDS)
    if round(value, 1) == 0 and not key.endswith("usd"):
        moved = (words & (UP_WORDS | DOWN_WORDS)) - {"up", "down"}
        return [f"{key} rounds to zero ({value:+.3f}) but is called a move: {' '.join(sorted(moved))}"] if moved and not flat_said else []
    if flat_said and abs(value) >= 0.05:
        return [f"{key} moved {value:+.2f} but the text calls it flat"]
    if value < 0 and words & UP_WORDS and not words & DOWN_WORDS:
        return [f"{key} is a fall ({value:+.2f}) but the text says {' '.join(sorted(words & UP_WORDS))}"]
    if value > 0 and words & DOWN_WORDS and not words & UP_WORDS:
        return [f"{key} is a rise ({value:+.2f}) but the text says {' '.join(sorted(words & DOWN_WORDS))}"]
    return []


# --- superlatives and history claims -------------------------------------------------------------------------------


def _side(word: str, context: str) -> str:
    if word in LOW_SIDE:
        return "low"
    if word in HIGH_SIDE:
        return "high"
    return "low" if re.search(r"\b(loss|fall|drop|decline|outflows?)\b", context) else "high"


def _matches_side(key: str, side: str, table: dict[str, Any] | None = None) -> bool:
    """Whether a fact key is about the low side (a low, a fall) or the high side; a key without a side
    in its name takes it from its sibling `direction` fact (a ranking: "fall" or "rise")."""
    tokens = LOW_TOKENS if side == "low" else HIGH_TOKENS
    parts = re.split(r"[._]", key)
    if table is not None:
        parts.append(str(table.get(key.rsplit(".", 1)[0] + ".direction", "")))
    return any(part.startswith(token) for part in parts for token in tokens)


def _since_keys(cited: Cited, table: dict[str, Any]) -> list[str]:
    """Cited keys that name an earlier date ("since"), and the `since` siblings of every cited key."""
    keys = set(cited.facts)
    parents = {key.rsplit(".", 1)[0] for key in cited.facts}
    keys |= {key for key in table if key.rsplit(".", 1)[0] in parents}
    return sorted(key for key in keys if key.rsplit(".", 1)[-1].endswith("since"))


def _superlatives(cited: Cited, table: dict[str, Any], fmt: Formatter) -> list[str]:
    reasons = []
    text = cited.text
    start = table.get("week.start")
    for match in SINCE.finditer(text):
        word, part, month = match.groups()
        side = _side(word, match.group(0))
        backing = [key for key in cited.facts if key.rsplit(".", 1)[-1].endswith("since") and _matches_side(key, side, table)
                   and isinstance(table[key], date) and fmt.month(table[key]) == month]
        if not backing:
            reasons.append(f"'{word} ... since {month}' is not backed by a cited {side}-side 'since' fact for that month")
            continue
        day = table[backing[0]]
        if part and _part_of_month(day) != part:
            reasons.append(f"'{part}{month}' misplaces {day.isoformat()} within its month")
        if isinstance(start, date) and day >= start:
            reasons.append(f"'since {month}' names a date inside the week itself")
    for match in IN_THE_DATA.finditer(text):
        side = _side(match.group(1), match.group(0))
        siblings = [key for key in _since_keys(cited, table) if _matches_side(key, side, table)]
        peak = side == "high" and any(key.endswith(".peak") for key in cited.facts)  # the history's maximum, by definition
        if not any(table.get(key) is None for key in siblings) and not _ranked_first(cited, table, side) and not peak:
            reasons.append(f"'{match.group(0)}' claims an extreme for the whole history, but the cited facts show "
                           "an earlier day as extreme")
    for match in IN_DAYS.finditer(text):
        reasons += _range_claim(cited, table, "low" if match.group(1) == "lowest" else "high", int(match.group(2)),
                                match.group(0))
    for match in RANGE_EDGE.finditer(text):
        reasons += _range_claim(cited, table, "low" if match.group(1) == "bottom" else "high", int(match.group(2)),
                                match.group(0))
    for match in STREAK.finditer(text):
        reasons += _streak_claim(cited, table, match)
    return reasons


def _part_of_month(day: date) -> str:
    return next(word for last, word in PART_OF_MONTH if day.day <= last)


def _ranked_first(cited: Cited, table: dict[str, Any], side: str) -> bool:
    parents = {key.rsplit(".", 1)[0] for key in cited.facts}
    return any(table.get(f"{parent}.rank") == 1 and _matches_side(f"{parent}.rank", side, table) for parent in parents)


def _range_claim(cited: Cited, table: dict[str, Any], side: str, days: int, said: str) -> list[str]:
    """ "the lowest in 90 days" / "the bottom of its 90-day range": the range's extreme day is the week's."""
    for key in cited.facts:
        parent = key.rsplit(".", 1)[0]
        if key.endswith(".days") and table[key] == days and f"{parent}.{side}_day" in table:
            extreme = table[f"{parent}.{side}_day"]
            days_in_week = {table[k] for k in cited.facts if k.endswith(f"{side}_day") and k != f"{parent}.{side}_day"}
            if extreme == table.get("week.end") or extreme in days_in_week:
                return []
            return [f"'{said}': the range's {side} was on {extreme}, not in this week"]
    return [f"'{said}' is not backed by a cited range of {days} days"]


def _streak_claim(cited: Cited, table: dict[str, Any], match: re.Match) -> list[str]:
    word = match.group(1) or match.group(4)
    weeks = ORDINALS.index(word)
    backing = [key for key in cited.facts if key.endswith(".weeks") and table[key] == weeks]
    if not backing:
        return [f"'{match.group(0)}' is not backed by a cited streak of {weeks} weeks"]
    parent = backing[0].rsplit(".", 1)[0]
    if table.get(f"{parent}.complete") is False and "at least" not in cited.text:
        return [f"'{match.group(0)}': the streak runs back to the start of the data, so it is at least {weeks} weeks"]
    direction = table.get(f"{parent}.direction")
    words = set(re.findall(r"[a-z]+", cited.text.lower()))
    said_down = words & {"decline", "declines", "loss", "losses", "fall", "falls", "drop", "underperformed", "trailed"}
    said_up = words & {"gain", "gains", "rise", "rises", "advance", "outperformed", "beat"}
    if direction in ("down", "under") and said_up and not said_down or direction in ("up", "over") and said_down and not said_up:
        return [f"'{match.group(0)}': the streak's direction is {direction}, the text says {' '.join(sorted(said_up | said_down))}"]
    return []


# How a subject's change compares with another's: the first cited change is the subject, the second the comparator.
COMPARISONS = (
    ("falling further than", lambda a, b: a < b), ("trailing", lambda a, b: a < b), ("lagging", lambda a, b: a < b),
    ("outpacing", lambda a, b: a > b), ("ahead of", lambda a, b: a > b), ("holding up better than", lambda a, b: a > b),
    ("level with", lambda a, b: round(a, 1) == round(b, 1)), ("in line with", lambda a, b: abs(a - b) < 1),
    ("bucking", lambda a, b: a > 0 > b), ("despite", lambda a, b: a < 0 < b),
)


def _comparisons(cited: Cited, table: dict[str, Any]) -> list[str]:
    """ "Ether fell 29.3%, falling further than bitcoin": the comparison must follow from the two changes."""
    changes = [key for key in cited.facts if key.endswith("_pct") and is_change(key) and isinstance(table[key], (int, float))]
    if len(changes) < 2:
        return []
    subject, other = table[changes[0]], table[changes[1]]
    lower = cited.text.lower()
    return [f"'{words}' does not follow from {changes[0]} ({subject:+.2f}) against {changes[1]} ({other:+.2f})"
            for words, holds in COMPARISONS if re.search(rf"\b{words}\b", lower) and not holds(subject, other)]


def _ordinals(cited: Cited, table: dict[str, Any]) -> list[str]:
    """Ordinal words that count something ("the fifth straight") must equal a cited whole-number fact."""
    counts = {table[key] for key in cited.facts if isinstance(table[key], int) and not isinstance(table[key], bool)}
    reasons = []
    for word in re.findall(rf"\b({'|'.join(ORDINALS[3:])})\b", cited.text.lower()):
        if ORDINALS.index(word) not in counts:
            reasons.append(f"ordinal '{word}' matches no cited count")
    return reasons


def _stress_periods(cited: Cited, table: dict[str, Any]) -> list[str]:
    """A named episode ("the FTX collapse") only where a cited date falls inside it."""
    reasons = []
    days = [table[key] for key in cited.facts if isinstance(table[key], date)]
    for period in STRESS_PERIODS:
        if period.name in cited.text and not any(period.start <= day <= period.end for day in days):
            reasons.append(f"names {period.name} but no cited date falls between {period.start} and {period.end}")
    return reasons
