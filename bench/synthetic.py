"""Synthetic graphs shaped like igkg's data, for benchmarks.

Instruments of the real kinds, adopted by a handful of bodies at dated meetings;
paragraphs and sub-paragraphs; revision series; citations whose targets follow a
power law (a few paragraphs are cited very often, as Tunis Agenda paragraph 69 is).
Deterministic for a given size and seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

KINDS = ["Resolution", "Resolution", "Resolution", "Decision", "Opinion", "Report", "Statement", "Agenda", "Declaration"]
VERBS = ["recalls", "reaffirms", "recognizes", "notes", "welcomes", "considers", "implements", "requests"]
BODIES = ["unga", "ecosoc", "cstd", "itu-pp", "itu-council", "itu-wtsa", "itu-wtpf"]

HEADER = """@prefix igkg: <https://w3id.org/igkg/ontology#> .
@prefix igr:  <https://w3id.org/igkg/id/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""


def synthetic_turtle(instruments: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = [HEADER, 'igr:syn-src a igkg:SourceDocument ; rdfs:label "synthetic source" ; igkg:url <https://example.org/src> .\n']
    for b in BODIES:
        out.append(f'igr:syn-{b} a igkg:Body ; rdfs:label "{b}" .\n')
    start = date(1998, 1, 1)
    targets: list[str] = []  # citable nodes, oldest first
    # Running totals of the targets' weights: random.choices bisects them, where given plain
    # weights it sums them all again for every draw. The totals are summed in the same order,
    # so the draws are the same.
    cum_weights: list[float] = []
    series_last: dict[int, tuple[str, date]] = {}
    for i in range(instruments):
        day = start + timedelta(days=int(i * 9800 / max(instruments, 1)))
        iri = f"igr:syn-{i}"
        kind = rnd.choice(KINDS)
        body = rnd.choice(BODIES)
        out.append(
            f'{iri} a igkg:{kind} ; rdfs:label "Instrument {i}" ; igkg:symbol "SYN/{i}" ; '
            f'igkg:dateAdopted "{day.isoformat()}"^^xsd:date ; igkg:adoptedBy igr:syn-{body} ; dct:source igr:syn-src .\n'
        )
        if rnd.random() < 0.15:  # a revision of an earlier series
            sid = rnd.randrange(max(1, instruments // 20))
            # Where more instruments than days are made, a revision may fall on its predecessor's
            # day, which igkg's checks refuse (revision-not-after-predecessor): it is then no revision.
            if sid not in series_last or series_last[sid][1] < day:
                out.append(f"{iri} igkg:inSeries igr:syn-series-{sid} .\n")
                if sid in series_last:
                    prev = series_last[sid][0]
                    out.append(
                        f"igr:cite.syn-{i}.revises a igkg:Citation ; igkg:citingEntity {iri} ; igkg:relation igkg:revises ; "
                        f"igkg:citedEntity {prev} ; dct:source igr:syn-src .\n"
                    )
                else:
                    out.append(f'igr:syn-series-{sid} a igkg:RevisionSeries ; rdfs:label "Series {sid}" ; dct:source igr:syn-src .\n')
                series_last[sid] = (iri, day)
        paragraphs = []
        for p in range(1, rnd.randint(3, 10)):
            para = f"{iri}.para-{p}"
            paragraphs.append(para)
            out.append(
                f'{para} a igkg:Paragraph ; rdfs:label "Instrument {i}, paragraph {p}" ; igkg:number "{p}" ; '
                f"igkg:partOf {iri} ; dct:source igr:syn-src .\n"
            )
            if rnd.random() < 0.2:
                sub = f"{para}.a"
                out.append(
                    f'{sub} a igkg:SubParagraph ; rdfs:label "Instrument {i}, paragraph {p} (a)" ; igkg:number "a" ; '
                    f"igkg:partOf {para} ; dct:source igr:syn-src .\n"
                )
        if targets:
            for n in range(rnd.randint(1, 6)):
                cited = rnd.choices(targets, cum_weights=cum_weights)[0]
                citing = rnd.choice(paragraphs)
                verb = rnd.choice(VERBS)
                out.append(
                    f"igr:cite.syn-{i}.{n} a igkg:Citation ; igkg:citingEntity {citing} ; igkg:relation igkg:{verb} ; "
                    f"igkg:citedEntity {cited} ; dct:source igr:syn-src .\n"
                )
        for para in [iri, *paragraphs]:
            targets.append(para)
            weight = 1.0 / (len(targets) ** 0.5) * (5.0 if rnd.random() < 0.02 else 1.0)
            cum_weights.append(cum_weights[-1] + weight if cum_weights else weight)
    return "".join(out)
