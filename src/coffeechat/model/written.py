"""Whether a value meant for the contact (`hook`, the company's `interest` and `news`, a call's
`Thanks:` and `Next:` lines: the keys whose audience is `them`) reads as written to them, or as
the user's own note: an aside in brackets, "!!", a remark about them, a note to self.

One check for every place that would say such a value to them: the drafts leave a note-like
value out, the prep sheet does not turn it into a question, and doctor names it.
"""

from __future__ import annotations

import re

# How a written-to-them value gives itself away as the user's note to self. Each rule is
# (why, test): the first that matches names the reason doctor and the drafts give. Measured on
# tests/data/written_to_them.tsv (precision and recall asserted in tests/test_written_lines.py).
_SECOND = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b", re.I)
_FIRST = re.compile(r"\b(?:I|I'm|I've|I'll|I'd|(?i:me|my|mine|myself|we|we're|we've|us|our))\b")
# A line that speaks to someone though it names neither of you.
_ADDRESSED = re.compile(
    r"^(?:hi|hello|hey|dear|congratulations|congrats|thank|thanks|happy|welcome|best of luck|"
    r"good luck|looking "
    r"forward|hope|great to|good to|nice to|lovely to)\b|^it was (?:great|good|nice|lovely|"
    r"interesting|helpful|fun|useful|inspiring|encouraging) to\b",
    re.I,
)
_HE_SHE = re.compile(
    r"\b(?:he|she|him|her|his|hers|himself|herself|he's|she's|he'll|she'll|"
    r"he'd|she'd)\b",
    re.I,
)
_THEY_FIRST = re.compile(r"^(?:they|their|them|they're|they've|they'll|they'd)\b", re.I)
_MARKS = re.compile(r"!!|\?\?|\?!|!\?|:\(|:\)|:-\(|:-\)|\(!\)|\(\?\)")
_ASIDE = re.compile(r"\(([^()]*)\)")
# Words that make an aside in brackets the user's own remark, not a label such as "(Telemetry)".
_ASIDE_NOTE = re.compile(
    r"[!?]|\b(?:I|I'm|I'd|I'll|I've|me|my|he|she|him|her|his|they|them|their|he's|she's|"
    r"he'll|she'll|they're|saw|seen|heard|per|via|verify|check|careful|lol|haha|lmao|tbd|todo|"
    r"think|guess|maybe|prob|probably|iirc|fyi|ask|mention|source|confirm|double-check|ugh|meh|"
    r"finally|great|cool|nice|awesome|wow|sure|rumou?r|apparently|supposedly|allegedly)\b",
    re.I,
)
_SHORTHAND = re.compile(
    r"\b(?:lol|lmao|haha|tbh|idk|imo|imho|iirc|tbd|btw|prob|asap|fyi|todo|nb|meh|ugh|etc|incl)\b"
    r"|\bw/|\bb/c|\bre:|\s\+\s|\bI (?:think|guess)\W*$",
    re.I,
)
_LABEL = re.compile(r"^[A-Za-z][\w ]{0,15}:\s")
# What a note to self starts with: "Ping him", "Ask about", "Don't push", "Need to send".
_TO_SELF = (
    r"ping|follow up|follow-up|remember|ask|mention|bring up|bring it up|don't|dont|do not|never|"
    r"avoid|check|double-check|send|email|e-mail|message|dm|text|remind|tell|talk to|look up|"
    r"find out|research|congratulate|buy|nudge|try|need to|should|must|don't forget|forgot|"
    r"maybe|probably|prob|verify|confirm|practise|practice|call him|call her|get back to|skip"
)
_SELF_START = re.compile(rf"^(?:{_TO_SELF})\b(?!\s+(?:you|your)\b)", re.I)
_SELF_MIDDLE = re.compile(rf"[,;:.!\-\u2013\u2014]\s+(?:{_TO_SELF}|do it|thank (?!you))\b", re.I)
_TRAILING = re.compile(
    r"\b(?:mention|bring up|ask about) (?:it|this|that)\W*$"
    r"|\bif no (?:word|reply|answer|response)\b",
    re.I,
)
# A sentence about them with its subject left out: "Said the team is small", "Works on…".
_NO_SUBJECT = re.compile(
    r"^(?:said|says|told|tells|seemed|seems|heard|wrote|writes|gave|gives|works|worked|loves|"
    r"loved|likes|liked|mentioned|mentions|referred|declined|ran|runs|spoke|speaks|thinks|"
    r"thought|wants|wanted|prefers|knows|knew|went|got|gets|has|had|is|was|could|would|will|"
    r"might|may|can|leads|led|manages|managed|recruits|hires|moved|joined|started|left|lives|"
    r"sounds|looks|offered|agreed|asked|replied|promised|laughed|suggested|recommended|"
    r"introduced|took|built|builds|ships|shipped|launched|raised|plays|played|uses|used|"
    r"posted|published|owns|seems|just|super|very|nice|good|great|big|new|only)\b",
    re.I,
)
_QUESTION_START = re.compile(
    r"^(?:would|could|can|do|does|did|is|are|was|were|how|what|when|where|why|who|which|may|"
    r"shall|should|will|have|has|any|might)\b",
    re.I,
)


def _questioned_statement(text: str) -> str:
    """A sentence that ends in `?` but does not ask anything: the user's own doubt."""
    for sentence in re.findall(r"[^.?!]*\?", text):
        if not _QUESTION_START.match(sentence.strip()):
            return sentence.strip()
    return ""


def note_like(text: str, about_person: bool = True, name: str = "") -> str:
    """Why a value meant for the contact reads as the user's note instead (an aside in
    brackets, "!!", a remark about them, a note to self), or "" when it reads as written to
    them. `name`: the contact's name, which a line to them does not use in the third person.
    A company's values may speak of someone else as "her" when they also speak to the reader
    ("Your app got my mom through her therapy")."""
    text = " ".join(text.split())
    if not text:
        return ""
    second, first = _SECOND.search(text), _FIRST.search(text)
    if match := _MARKS.search(text):
        return f"`{match.group(0)}`"
    for aside in _ASIDE.finditer(text):
        if _ASIDE_NOTE.search(aside.group(1)):
            return f"an aside in brackets, `{aside.group(0)}`"
    if about_person and (named := _names_them(text, name)):
        return f"it names them, `{named}`"
    pronoun = _HE_SHE.search(text)
    if pronoun and not (second or (first and not about_person)):
        return f"it speaks of them as `{pronoun.group(0)}`"
    if (they := _THEY_FIRST.match(text)) and not second:
        return f"it speaks of them as `{they.group(0)}`"
    for pattern in (_SELF_START, _SELF_MIDDLE, _TRAILING):
        if match := pattern.search(text):
            return f"a note to yourself, `{match.group(0).strip(' ,;:.-')}`"
    if match := _LABEL.match(text):
        return f"a label, `{match.group(0).strip()}`"
    if match := _SHORTHAND.search(text):
        return f"shorthand, `{match.group(0).strip()}`"
    if doubt := _questioned_statement(text):
        return f"a doubt, `{doubt}`"
    if not second and (match := _NO_SUBJECT.match(text)):
        return f"a remark about them, `{match.group(0)} …`"
    if not (second or first or _ADDRESSED.match(text)):
        return "a remark about them, not a sentence to them"
    return ""


def _names_them(text: str, name: str) -> str:
    """Their own first name in a line to them, other than as a greeting at its start."""
    first = name.split()[0] if name.split() else ""
    if len(first) < 2:
        return ""
    match = re.search(rf"\b{re.escape(first)}\b", text, re.IGNORECASE)
    if match is None or re.match(rf"{re.escape(first)},", text, re.IGNORECASE):
        return ""
    return match.group(0)
