"""Alignment of comparable texts: proposing zh ↔ id ↔ en equivalents without parallel text.

The bundled corpus has no translation units, so equivalents are proposed only from
evidence that is really there, and every proposal says which:

- ``anchor``: the same Latin-script string in both languages (DeepSeek, AI, Linux).
- ``dictionary``: a CC-CEDICT gloss of the Chinese term (开源 → "open source") met by an
  Indonesian dictionary's (GNOME's glossary, WikDict: perusahaan = company), or read
  backwards into Indonesian and found in the text even where extraction saw the phrase
  once (操作系统 → "operating system" → sistem operasi).
- ``cognate``: the Indonesian term's regular English cognate (teknologi → technology),
  or a loan of the other term's gloss (透明度 → "transparency" ≈ transparansi).
- ``english``: an English term used inside the Indonesian text (open-weight).
- ``context``: terms used in the same contexts. Inside Indonesian text, an English
  loan and a native term with similar neighbours are candidate synonyms (open source /
  sumber terbuka); across languages, context vectors are built over seed pairs that
  are already confirmed or strongly evidenced, and compared.

Two pieces of evidence chain through English: 开源 → "open source" (dictionary) and
"open source" ~ "sumber terbuka" (context) give 开源 → sumber terbuka. Scores are in
0..1; a person confirms every proposal. Terms are read in the repaired reading of the
text (:mod:`termbase.reading`): a spun 模子 counts as 模型, and comes with the proposal
as its deprecated variant; evidence lines show the text as stored.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from termbase.cognates import indonesian_spellings
from termbase.comparable_corpus import Corpus
from termbase.extract import Sentence, word_class_weight
from termbase.glosses import (
    Gloss,
    chinese_of,
    english_key,
    glosses_of,
    is_latin,
    loan_match,
    renderings,
)
from termbase.model import Candidate, Proposal, Variant
from termbase.recognize import kwic
from termbase.stopwords import stopwords

PER_SOURCE = 5  # proposals kept per source term and target language
MIN_CONTEXT_SIMILARITY = 0.2  # loan ~ native term inside one language
MIN_CROSS_SIMILARITY = 0.7  # across languages, where co-occurrence data is thinner
MIN_SEEDS_SHARED = 4
TRANSLATED_GLOSSES = 12  # glosses of a term looked for in Indonesian (composed ones too)
MIN_BACKWARD_CONFIDENCE = 0.7  # glosses read back into Chinese
RENDERED = 0.8  # a dictionary read backwards, relative to a gloss matched both ways
_SPACING = re.compile(r"[\s\-]+")


def _supported(score: float, count: int) -> float:
    """Discount a score seen only once or twice: count / (count + 1)."""
    return round(score * count / (count + 1), 3)


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _ppmi(bags: Mapping[str, Counter[str]]) -> dict[str, dict[str, float]]:
    """Positive pointwise mutual information of each term with its context words."""
    totals: Counter[str] = Counter()
    for bag in bags.values():
        totals.update(bag)
    grand = sum(totals.values()) or 1
    out: dict[str, dict[str, float]] = {}
    for term, bag in bags.items():
        n = sum(bag.values()) or 1
        out[term] = {
            w: pmi for w, c in bag.items() if (pmi := math.log((c / n) / (totals[w] / grand))) > 0
        }
    return out


class ComparableAligner:
    """Proposes equivalents between the candidate terms of several languages."""

    def __init__(
        self,
        sentences: Mapping[str, Sequence[Sentence]],
        candidates: Mapping[str, Sequence[Candidate]],
        confirmed: Sequence[tuple[tuple[str, str], tuple[str, str]]] = (),
    ) -> None:
        self.langs = list(candidates)
        self.candidates = {lang: list(cands) for lang, cands in candidates.items()}
        self.corpora = {
            lang: Corpus(lang, sentences.get(lang, ()), [c.text for c in cands])
            for lang, cands in self.candidates.items()
        }
        # A term the checks suspect wherever it occurs (推销, maybe spun from 销售) is no
        # term to propose: it stays out until someone decides.
        self.candidates = {
            lang: [c for c in cands if not self.corpora[lang].doubtful(c.text)]
            for lang, cands in self.candidates.items()
        }
        self.glosses = {
            lang: {c.text: glosses_of(c.text, lang) for c in cands}
            for lang, cands in self.candidates.items()
        }
        self.confirmed = list(confirmed)
        self.variants = {
            (lang, c.text): c.variants
            for lang, cands in self.candidates.items()
            for c in cands
            if c.variants
        }
        self._best: dict[tuple[str, str, str], Proposal] = {}

    def run(self, progress: Callable[[str], None] | None = None) -> list[Proposal]:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("glosses", self._by_gloss),
            ("English glosses", self._to_english),
            ("synonyms in context", self._loans_in_context),
            ("context vectors", self._cross_context),
        ]
        for name, step in steps:
            if progress:
                progress(name)
            step()
        return self._ranked()

    # -- proposals -----------------------------------------------------------------------

    def _oriented(
        self,
        one: tuple[str, str],
        other: tuple[str, str],
        score: float,
        count: int,
        method: str,
        evidence: tuple[str, ...],
    ) -> Proposal:
        """A proposal between two (language, term) pairs, from the language listed first."""
        if self.langs.index(other[0]) < self.langs.index(one[0]):
            one, other = other, one
        return Proposal(one[1], one[0], other[1], other[0], score, count, method, evidence)

    def _offer(self, proposal: Proposal) -> None:
        """Keep the best-scored proposal for each (source, target) pair."""
        proposal = _name_as_its_owner_writes_it(proposal)
        key = (proposal.source_lang + ":" + proposal.source, proposal.target_lang, proposal.target)
        variants = self.variants.get((proposal.source_lang, proposal.source), ())
        variants += self.variants.get((proposal.target_lang, proposal.target), ())
        if variants:
            proposal = replace(proposal, variants=proposal.variants + variants)
        old = self._best.get(key)
        if old is None or proposal.score > old.score:
            self._best[key] = proposal

    def _ranked(self) -> list[Proposal]:
        groups: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
        for (source, target_lang, _), p in self._best.items():
            groups[(source, target_lang)].append(p)
        out: list[Proposal] = []
        for group in groups.values():
            group.sort(key=lambda p: (-p.score, p.target))
            out.extend(group[:PER_SOURCE])
        out.sort(key=lambda p: (-p.score, p.source_lang, p.source, p.target))
        return out

    def _frequency(self, lang: str, term: str) -> int:
        return len(self.corpora[lang].hits.get(term, ()))

    def _pairs_of_languages(self) -> list[tuple[str, str]]:
        return [(a, b) for i, a in enumerate(self.langs) for b in self.langs[i + 1 :]]

    def _by_gloss(self) -> None:
        """Terms of two languages sharing an English gloss (anchor, dictionary, cognate),
        or an Indonesian term borrowed from another's gloss (:meth:`_by_loanword`)."""
        self._by_loanword()
        self._by_translation()
        self._into_chinese()
        for a, b in self._pairs_of_languages():
            index: dict[str, list[tuple[str, Gloss]]] = defaultdict(list)
            for term, glosses in self.glosses[b].items():
                for g in glosses:
                    index[g.key].append((term, g))
            for term, glosses in self.glosses[a].items():
                for ga in glosses:
                    for other, gb in index.get(ga.key, ()):
                        self._offer(self._gloss_pair(a, term, ga, b, other, gb))

    def _by_loanword(self) -> None:
        """Indonesian terms borrowed from the English glosses of another language's terms.

        透明度 → "transparency" (CC-CEDICT), and Indonesian writes transparansi; 出口管制 →
        "export control" (glosses of its words), and kontrol ekspor. The English is
        respelt the Indonesian way (:func:`cognates.loan_similarity`); a word may also
        match through its own dictionary gloss. Every word of the Indonesian term must
        match a distinct word of the gloss, in any order (Indonesian puts the head
        first); a single word matching one end of a two-word gloss (chip, "computer
        chip"; Microsoft, "Microsoft Corporation") counts PARTIAL.
        """
        if "id" not in self.glosses:
            return
        stop = stopwords("en")
        by_start: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for term in self.glosses["id"]:
            words = [w for w in _SPACING.split(term.lower()) if w]
            if is_latin(term) and words:
                for start in {w[:2] for w in words}:
                    by_start[start].append((term, words))
        for lang in self.langs:
            if lang == "id":
                continue
            for term, glosses in self.glosses[lang].items():
                for g in glosses:
                    if g.method != "dictionary":
                        continue
                    english = [w for w in _SPACING.split(g.english.lower()) if w not in stop]
                    if not english or len(english) > 3:
                        continue
                    starts = {sp[:2] for w in english for sp in indonesian_spellings(w)}
                    seen: set[str] = set()
                    for start in starts:
                        for other, words in by_start.get(start, ()):
                            if other in seen:
                                continue
                            seen.add(other)
                            similarity = loan_match(words, english)
                            if similarity:
                                self._offer_loan(lang, term, g, other, similarity)

    def _by_translation(self) -> None:
        """Indonesian renderings of another language's English glosses, found in the text.

        A term seen once in Indonesian is seldom among its candidates (sistem operasi,
        kontrol ekspor). The dictionaries read backwards (operating system → sistem
        operasi) and the loanword spellings (code → kode) give phrases to look for;
        a two-word gloss is rendered word by word, in Indonesian order first.
        """
        if "id" not in self.corpora:
            return
        wanted = [
            (lang, term, g, " ".join(words), how)
            for lang in self.langs
            if lang != "id"
            for term, glosses in self.glosses[lang].items()
            for g in glosses[:TRANSLATED_GLOSSES]
            if g.method == "dictionary"
            for words, how in renderings(g.english)
        ]
        index = self.corpora["id"].ngrams({key for *_, key, _ in wanted})
        for lang, term, g, key, how in wanted:
            if key in index:
                self._offer_rendering(lang, term, g, how, index[key])

    def _into_chinese(self) -> None:
        """Chinese words that CC-CEDICT glosses as another language's term does, found in
        the Chinese text: the dictionary read backwards (data → 数据, investor → 投资者).

        A word seen once in the Chinese text is seldom among its candidates; this finds
        it from the other side, as :meth:`_by_translation` finds Indonesian phrases.
        """
        if "zh" not in self.corpora:
            return
        corpus = self.corpora["zh"]
        # a name is written as it is in Chinese too; a gloss through a stem (pengembang →
        # kembang "flower") is too loose to search with; a verb or function word (控制
        # "to control") is no term
        wanted = [
            (lang, term, g, found)
            for lang in self.langs
            if lang != "zh"
            for term, glosses in self.glosses[lang].items()
            for g in glosses
            if g.method != "anchor" and g.confidence >= MIN_BACKWARD_CONFIDENCE
            for found in chinese_of(g.english)
            if word_class_weight(found[0]) == 1
        ]
        index = corpus.ngrams({found[0] for *_, found in wanted})
        for lang, term, g, (word, rank, definition) in wanted:
            hits = [h for h in index.get(word, ()) if not corpus.readings[h[0]].doubtful(*h[1])]
            if hits:
                self._offer_into_chinese(lang, term, g, word, rank, definition, hits)

    def _offer_into_chinese(
        self,
        lang: str,
        term: str,
        g: Gloss,
        word: str,
        rank: int,
        definition: str,
        hits: list[tuple[int, tuple[int, int]]],
    ) -> None:
        corpus = self.corpora["zh"]
        i, (start, end) = hits[0]
        count = min(self._frequency(lang, term), len({i for i, _ in hits}))
        s = corpus.sentences[i]
        evidence = (
            definition,
            g.evidence,
            f"{s.source}#{s.position}: {kwic(s.text, corpus.readings[i].to_current(start, end))}",
            *self.corpora[lang].kwic(term, 1),
        )
        sense = 0.9 if rank == 0 else 0.7
        self._offer(
            self._oriented(
                ("zh", word),
                (lang, term),
                _supported(g.confidence * sense * RENDERED, count),
                count,
                "dictionary",
                evidence,
            )
        )

    def _offer_rendering(
        self, lang: str, term: str, g: Gloss, how: str, hits: list[tuple[int, tuple[int, int]]]
    ) -> None:
        corpus = self.corpora["id"]
        i, (start, end) = hits[0]
        target = corpus.readings[i].text[start:end]
        count = min(self._frequency(lang, term), len({i for i, _ in hits}))
        s = corpus.sentences[i]
        evidence = (
            g.evidence,
            how,
            *self.corpora[lang].kwic(term, 1),
            f"{s.source}#{s.position}: {kwic(s.text, corpus.readings[i].to_current(start, end))}",
        )
        self._offer(
            Proposal(
                term,
                lang,
                target,
                "id",
                _supported(g.confidence * RENDERED, count),
                count,
                "dictionary",
                evidence,
            )
        )

    def _offer_loan(self, lang: str, term: str, g: Gloss, other: str, similarity: float) -> None:
        count = min(self._frequency(lang, term), self._frequency("id", other))
        evidence = (
            g.evidence,
            f"loanword: {other} ≈ {g.english} (similarity {similarity:.2f})",
            *self.corpora[lang].kwic(term, 1),
            *self.corpora["id"].kwic(other, 1),
        )
        self._offer(
            self._oriented(
                (lang, term),
                ("id", other),
                _supported(g.confidence * similarity, count),
                count,
                # the English word itself inside Indonesian text, or a respelt loan
                "english" if other.lower() == g.english.lower() else "cognate",
                evidence,
            )
        )

    def _gloss_pair(self, a: str, term: str, ga: Gloss, b: str, other: str, gb: Gloss) -> Proposal:
        same = _SPACING.sub("", term.lower()) == _SPACING.sub("", other.lower())
        count = min(self._frequency(a, term), self._frequency(b, other))
        method = (
            "anchor"
            if same
            else next(
                m
                for m in ("dictionary", "cognate", "english", "anchor")
                if m in (ga.method, gb.method)
            )
        )
        evidence = [e for e in dict.fromkeys((ga.evidence, gb.evidence)) if e]
        evidence += self.corpora[a].kwic(term, 1) + self.corpora[b].kwic(other, 1)
        return Proposal(
            source=term,
            source_lang=a,
            target=other,
            target_lang=b,
            # Two independent routes to one English gloss: the geometric mean of their
            # confidences, discounted when the terms are seldom seen.
            score=_supported(math.sqrt(ga.confidence * gb.confidence), count),
            count=count,
            method=method,
            evidence=tuple(evidence),
        )

    def _attested_english(self) -> set[str]:
        return {g.key for glosses in self.glosses.get("id", {}).values() for g in glosses}

    def _to_english(self) -> None:
        """Each term's English equivalent from the dictionary or its cognate.

        A gloss that the other texts also use (开源 → "open source", written in the
        Indonesian articles) is kept at full confidence; otherwise only the first gloss
        is proposed, at a lower score.
        """
        if "en" in self.langs:
            return  # English text is aligned like any other language
        attested = self._attested_english()
        for lang in self.langs:
            for term, glosses in self.glosses[lang].items():
                usable = [g for g in glosses if g.method in ("dictionary", "cognate")]
                seen = [g for g in usable if g.key in attested and lang != "id"]
                chosen = [(g, 1.0) for g in seen] or [(g, 0.6) for g in usable[:1]]
                count = self._frequency(lang, term)
                for g, weight in chosen:
                    evidence = (g.evidence, *self.corpora[lang].kwic(term, 2))
                    score = _supported(g.confidence * weight, count)
                    self._offer(
                        Proposal(term, lang, g.english, "en", score, count, g.method, evidence)
                    )

    def _loans_in_context(self) -> None:
        """Inside Indonesian text: an English loan and the native term used like it."""
        if "id" not in self.corpora:
            return
        corpus = self.corpora["id"]
        loans = [
            t for t, gs in self.glosses["id"].items() if any(g.method == "english" for g in gs)
        ]
        natives = [t for t, gs in self.glosses["id"].items() if not gs]
        vectors = _ppmi({t: corpus.context(t) for t in loans + natives})
        for loan in loans:
            loan_words = set(english_key(loan).split())
            scored = sorted(
                (
                    (_cosine(vectors[loan], vectors[n]), n)
                    for n in natives
                    if not loan_words & set(english_key(n).split())  # not "AI open" ~ "AI"
                ),
                reverse=True,
            )
            for similarity, native in scored[:1]:
                if similarity < MIN_CONTEXT_SIMILARITY:
                    continue
                shared = sorted(
                    set(vectors[loan]) & set(vectors[native]),
                    key=lambda w: -(vectors[loan][w] + vectors[native][w]),
                )[:6]
                evidence = (
                    f"shared contexts: {', '.join(shared)}",
                    *corpus.kwic(native, 2),
                    *corpus.kwic(loan, 2),
                )
                score = round(similarity, 3)
                count = min(self._frequency("id", native), self._frequency("id", loan))
                self._offer(Proposal(native, "id", loan, "en", score, count, "context", evidence))
                self._chain_through(loan, native, score, evidence)

    def _chain_through(
        self, loan: str, native: str, score: float, evidence: tuple[str, ...]
    ) -> None:
        """X → loan (by gloss) and loan ~ native (by context) give X → native."""
        key = english_key(loan)
        for lang in self.langs:
            if lang == "id":
                continue
            for term, glosses in self.glosses[lang].items():
                for g in glosses:
                    if g.key == key and g.method == "dictionary":
                        chain = (g.evidence, f"{loan} ~ {native} in Indonesian text", *evidence[:2])
                        self._offer(
                            Proposal(
                                term,
                                lang,
                                native,
                                "id",
                                round(g.confidence * score, 3),
                                self._frequency("id", native),
                                "dictionary+context",
                                chain,
                            )
                        )

    def _cross_context(self) -> None:
        """Across languages: compare co-occurrence with seed pairs already trusted.

        Only for terms that no gloss explains (names, spun or new words): co-occurrence
        over a few documents is weak evidence, not to be set against a dictionary's.
        """
        for a, b in self._pairs_of_languages():
            seeds = self._seeds(a, b)
            if len(seeds) < MIN_SEEDS_SHARED:
                continue
            sets_a, sets_b = self.corpora[a].sentence_sets(), self.corpora[b].sentence_sets()
            seeds_a, seeds_b = [s for s, _ in seeds], [s for _, s in seeds]
            vec_a = {
                t: self._seed_vector(sets_a, t, seeds_a)
                for t in sets_a
                if t in self.glosses[a] and not self.glosses[a][t]
            }
            vec_b = {
                t: self._seed_vector(sets_b, t, seeds_b)
                for t in sets_b
                if t in self.glosses[b] and not self.glosses[b][t]
            }
            paired = {p.source for p in self._best.values() if p.target_lang == b}
            for term, va in vec_a.items():
                if term in paired or len(va) < MIN_SEEDS_SHARED:
                    continue
                best = max(
                    (
                        (_cosine(va, vb), other)
                        for other, vb in vec_b.items()
                        if len(set(va) & set(vb)) >= MIN_SEEDS_SHARED
                    ),
                    default=None,
                )
                if best and best[0] >= MIN_CROSS_SIMILARITY:
                    similarity, other = best
                    shared = ", ".join(sorted(set(va) & set(vec_b[other]))[:6])
                    evidence = (
                        f"co-occurs with the same seed pairs: {shared}",
                        *self.corpora[a].kwic(term, 1),
                        *self.corpora[b].kwic(other, 1),
                    )
                    self._offer(
                        Proposal(
                            term,
                            a,
                            other,
                            b,
                            round(similarity * 0.5, 3),
                            min(len(sets_a[term]), len(sets_b[other])),
                            "context",
                            evidence,
                        )
                    )

    def _seeds(self, a: str, b: str) -> list[tuple[str, str]]:
        seeds = {
            (sa[1], sb[1])
            for sa, sb in self.confirmed
            if sa[0] == a
            and sb[0] == b
            and sa[1] in self.corpora[a].hits
            and sb[1] in self.corpora[b].hits
        }
        seeds |= {
            (p.source, p.target)
            for p in self._best.values()
            if p.source_lang == a and p.target_lang == b and p.score >= 0.8
        }
        return sorted(seeds)

    @staticmethod
    def _seed_vector(
        sets: Mapping[str, set[int]], term: str, seed_terms: list[str]
    ) -> dict[str, float]:
        mine = sets[term]
        return {
            f"{i}": float(len(mine & sets[s]))
            for i, s in enumerate(seed_terms)
            if s != term and s in sets and mine & sets[s]
        }


def _camel(name: str) -> bool:
    """DeepSeek, OpenAI: a capital inside a word that also has small letters."""
    return any(ch.isupper() for ch in name[1:]) and any(ch.islower() for ch in name)


def _name_as_its_owner_writes_it(p: Proposal) -> Proposal:
    """An anchor written DeepSeek on one side and Deepseek on the other: both sides take
    the camel-case spelling (names are written so by their owners, and mangled by
    tools), and the other spelling comes along as a deprecated variant, so that the
    checks flag it once the proposal is accepted."""
    if p.method != "anchor" or p.source == p.target or p.source.lower() != p.target.lower():
        return p
    if _camel(p.source) and not _camel(p.target):
        right, wrong, lang = p.source, p.target, p.target_lang
    elif _camel(p.target) and not _camel(p.source):
        right, wrong, lang = p.target, p.source, p.source_lang
    else:
        return p
    variant = Variant(wrong, lang, right, p.count, "casing")
    source = right if lang == p.source_lang else p.source
    target = right if lang == p.target_lang else p.target
    return replace(p, source=source, target=target, variants=(*p.variants, variant))


def align_comparable(
    sentences: Mapping[str, Sequence[Sentence]],
    candidates: Mapping[str, Sequence[Candidate]],
    confirmed: Sequence[tuple[tuple[str, str], tuple[str, str]]] = (),
    progress: Callable[[str], None] | None = None,
) -> list[Proposal]:
    """Propose equivalents between the candidates of each pair of languages, best first."""
    return ComparableAligner(sentences, candidates, confirmed).run(progress)
