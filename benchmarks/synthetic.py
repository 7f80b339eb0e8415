"""A deterministic, realistic synthetic catalogue in Hallway's native JSON format.

    write_synthetic(path, sessions=50_000, seed=1)

writes a conference of `sessions` items over five days (Monday 30 November to Friday 4 December
2026, Europe/Paris wall-clock times): a keynote, a lunch and an evening reception each day, a few
all-day exhibitor booths, and otherwise talks, workshops, panels, lightning talks and meetups in
as many rooms as it takes (about 830 for 50,000 sessions), each room running back-to-back sessions
from about 08:00 to 21:00. Titles, abstracts, speakers (with companies and bios), tracks and tags
are built from word lists; about one session in ten is in French, with accents; one in five has
no `kind`, so the importer has to recognise it from the title.

The same `sessions` and `seed` always give byte-identical files (a private `random.Random`, no
clock, no sets iterated). Sessions are streamed to the file one at a time, so writing 50,000 of
them needs little memory — benchmarks can generate in the process that then measures something
else without inflating it.

Command line: `python -m benchmarks.synthetic OUT.json [--sessions N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

FIRST_DAY = date(2026, 11, 30)
DAYS = 5
TIMEZONE = "Europe/Paris"
DAY_START = time(8, 0)
DAY_END = time(21, 0)  # regular sessions end by then; receptions run later

CONFERENCE: dict[str, Any] = {
    "name": "Synthetic Cloud & Data Summit 2026",
    "timezone": TIMEZONE,
    "venue": "Paris Expo Porte de Versailles",
    "url": "https://summit.example.org/",
}

# --- word lists -------------------------------------------------------------------------------


def _listed(text: str) -> tuple[str, ...]:
    """Comma-separated words, over as many lines as it takes."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


TECHS = _listed(
    """
    Kubernetes, Azure Functions, AWS Lambda, PostgreSQL, Kafka, Terraform, Rust, Python,
    TypeScript, WebAssembly, GraphQL, gRPC, OpenTelemetry, Prometheus, Grafana,
    Elasticsearch, Redis, Cosmos DB, DynamoDB, Spark, Databricks, Snowflake, dbt, Airflow,
    Flink, Istio, Envoy, Linkerd, Argo CD, Flux, GitHub Actions, Azure DevOps, Bicep, Pulumi,
    Ansible, eBPF, Cilium, Wasmtime, Deno, Node.js, Go, Java 21, .NET 9, Kotlin, Swift,
    Flutter, React, Svelte, Vue, Next.js, LangChain, PyTorch, TensorFlow, ONNX, Hugging Face,
    vector databases, Azure OpenAI, Amazon Bedrock, Copilot, Power BI, Fabric, Synapse,
    SQL Server, MongoDB, Cassandra, ClickHouse, DuckDB, Iceberg, Delta Lake, Parquet, Arrow,
    Ray, MLflow, Kubeflow, KEDA, Dapr, Backstage, Crossplane, Vault, Keycloak, Entra ID,
    Zero Trust, Sentinel, Defender
    """
)
THINGS = _listed(
    """
    microservices, data pipelines, event-driven systems, platform teams, APIs, observability,
    incident response, cost management, multi-tenant SaaS, edge workloads, serverless apps,
    batch processing, stream processing, feature flags, release engineering, CI/CD,
    developer portals, identity, secrets management, supply chain security, threat modelling,
    data governance, data mesh, lakehouses, RAG applications, AI agents, LLM evaluation,
    prompt engineering, model serving, GPU clusters, hybrid cloud, disaster recovery,
    chaos engineering, load testing, accessibility, design systems, mobile apps,
    offline-first apps, legacy modernisation, mainframe migration, FinOps, sustainability,
    green software, compliance, SRE practices, on-call, technical debt, code review,
    pair programming, inner source
    """
)
THINGS_FR = _listed(
    """
    microservices, pipelines de données, l'observabilité, la gestion des coûts,
    la sécurité applicative, les API, l'intégration continue, la dette technique,
    les agents IA, l'IA générative, la souveraineté numérique, le cloud hybride,
    la reprise après sinistre, l'accessibilité, les équipes plateforme,
    la gouvernance des données, le développement durable, la conformité RGPD
    """
)
TOPICS = _listed(
    """
    cloud security, generative AI, data engineering, platform engineering, DevOps,
    site reliability, machine learning, serverless, databases, networking,
    identity and access, analytics, IoT, quantum computing, developer experience,
    open source, mobile, frontend, sustainability, careers
    """
)
TOPICS_FR = _listed(
    """
    la sécurité du cloud, l'IA générative, l'ingénierie des données, DevOps, l'open source,
    l'expérience développeur, la sobriété numérique, les bases de données
    """
)
VERBS = _listed(
    """
    Building, Scaling, Securing, Observing, Testing, Migrating, Modernising, Operating,
    Debugging, Designing, Automating, Optimising, Shipping, Governing, Architecting,
    Hardening, Monitoring, Deploying, Refactoring, Streaming
    """
)
VERBS_FR = _listed(
    """
    Construire, Sécuriser, Observer, Tester, Migrer, Moderniser, Déployer, Automatiser,
    Optimiser, Concevoir
    """
)
ADJECTIVES = _listed(
    """
    Resilient, Cost-efficient, Secure, Scalable, Observable, Pragmatic, Modern, Event-driven,
    Cloud-native, Accessible, Sustainable, Reliable, Fast, Boring (and proud of it),
    Zero-downtime, Multi-region, Privacy-first
    """
)
AUDIENCES = _listed(
    """
    startups, enterprises, the public sector, healthcare, financial services, retail,
    game studios, small teams, regulated industries, non-profits
    """
)
COMPANIES = _listed(
    """
    Contoso, Fabrikam, Northwind Traders, Adventure Works, Tailspin Toys,
    Wide World Importers, Litware, Proseware, Woodgrove Bank, Coho Winery, Alpine Ski House,
    Fourth Coffee, Lamna Healthcare, Relecloud, Trey Research, Humongous Insurance,
    Margie's Travel, Blue Yonder Airlines, Graphic Design Institute, Southridge Video,
    Datum Corporation, Lucerne Publishing, VanArsdel, Wingtip Toys, Munson's Pickles,
    Consolidated Messenger, School of Fine Art, City Power & Light,
    Société Générale des Données, Crédit Numérique, Laboratoires Éole, Cloudéa,
    Banque du Léman, Électricité Nouvelle, Hôpital Saint-Éloi, Mairie de Montréal,
    Acme Robotics, Initech, Globex, Hooli, Pied Piper, Stark Industries, Umbrella Analytics,
    Soylent Systems, Vandelay Industries, Cyberdyne, Aperture Labs, Massive Dynamic,
    Oceanic Logistics, Dunder Mifflin Paper, Gringotts Finance
    """
)
FIRST_NAMES = _listed(
    """
    Ada, Alan, Grace, Linus, Margaret, Dennis, Barbara, Ken, Frances, John, Radia, Tim, Hedy,
    Edsger, Katherine, Donald, Sophie, Hélène, Amélie, Chloé, Léa, Zoé, Noémie, Élodie,
    Agnès, Inès, Maëlle, Loïc, Jérôme, François, Stéphane, Benoît, Thaïs, Gaël, Anaïs,
    Raphaël, Mathéo, Aurélien, Priya, Arjun, Ananya, Rahul, Mei, Wei, Hiroshi, Yuki, Sakura,
    Min-jun, Ji-woo, Olusegun, Chiamaka, Kwame, Amara, Fatima, Omar, Layla, Youssef, Mehmet,
    Elif, Dmitri, Olga, Katarzyna, Piotr, Jan, Eva, Lars, Ingrid, Sven, Astrid, Matteo,
    Giulia, Lorenzo, Sofia, Diego, Lucía, Mateo, Valentina, João, Beatriz, Carlos, Camila,
    Liam, Olivia, Noah, Emma, Oliver, Ava, Elijah, Charlotte, Mohammed, Aisha, Tomás,
    Siobhán, Niamh, Seán, Björn, Søren, Zoltán, Ágnes, Nguyễn, Thảo, Kofi, Ngozi, Tariq
    """
)
LAST_NAMES = _listed(
    """
    Lovelace, Turing, Hopper, Torvalds, Hamilton, Ritchie, Liskov, Thompson, Allen, Backus,
    Perlman, Berners-Lee, Lamarr, Dijkstra, Johnson, Knuth, Martin, Bernard, Dubois, Thomas,
    Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefèvre, Michel, Garcia,
    Fournier, Lambert, Rousseau, Girard, Bonnet, Dupont, Lemaître, Château, Bélanger, Gagnon,
    Côté, Tremblay, Bouchard, Gauthier, Patel, Sharma, Iyer, Nair, Reddy, Chen, Wang, Li,
    Zhang, Tanaka, Suzuki, Sato, Kim, Park, Choi, Okafor, Adeyemi, Mensah, Diallo, Haddad,
    Khalil, Yilmaz, Demir, Ivanov, Petrova, Kowalski, Nowak, Novák, Jensen, Hansen, Larsen,
    Andersson, Nilsson, Rossi, Russo, Bianchi, Fernández, González, Rodríguez, Silva, Santos,
    Oliveira, Smith, Brown, Wilson, Taylor, Anderson, O'Brien, Murphy, Müller, Schmidt,
    Schäfer, Weiß, Horváth, Nguyen, Tran, Asante, Mwangi
    """
)
ROLES = _listed(
    """
    principal engineer, staff software engineer, solutions architect, developer advocate,
    CTO, SRE lead, data scientist, security researcher, product manager, engineering manager,
    cloud consultant, open-source maintainer, ML engineer, platform engineer,
    database administrator, VP of engineering, independent trainer
    """
)
ROLES_FR = _listed(
    """
    architecte cloud, ingénieure logiciel, développeur principal, responsable sécurité,
    directrice technique, consultant DevOps, data scientist, cheffe de projet
    """
)
# Code and name; session ids start with the code, as in re:Invent's "SEC301".
TRACKS = tuple(
    (code, name)
    for code, name in (
        line.split(maxsplit=1)
        for line in """
    AI Artificial Intelligence
    ANT Analytics
    API APIs & Integration
    ARC Architecture
    CMP Compute
    CNT Containers
    COP Cloud Operations
    DAT Databases
    DEV Developer Productivity
    DOP DevOps
    END End-User Computing
    ENT Enterprise Strategy
    FIN FinOps
    FRN Frontend & Web
    GAM Games
    HLC Healthcare & Life Sciences
    HYB Hybrid & Edge
    IDN Identity
    IOT Internet of Things
    MOB Mobile
    NET Networking
    OPN Open Source
    PLT Platform Engineering
    QTC Quantum
    SEC Security & Compliance
    SRV Serverless
    STG Storage
    SUS Sustainability
    WPS Public Sector
    CAR Careers & Community
    FRA Francophonie
""".strip().splitlines()
    )
)
TAGS = _listed(
    """
    beginner, intermediate, advanced, expert, hands-on, demo, case study, customer story,
    live coding, architecture, best practices, new launch, security, cost, performance,
    reliability, AI/ML, open source, community, diversity, partner, sponsored, repeat,
    recorded, interpreted, accessibility
    """
)
VENUES = _listed(
    """
    Hall 1, Hall 2, Hall 3, Hall 4, Hall 5, Hall 6, Hall 7, Pavillon Rhône, Pavillon Loire,
    Pavillon Seine, Centre des Congrès, Annexe Sud
    """
)
LEVELS = 4

SENTENCES = (
    "In this session, we show how {company} rebuilt its {thing} on {tech} and cut costs by "
    "{percent}%.",
    "You will learn the patterns, trade-offs and pitfalls of {thing} at scale.",
    "We start from a real incident and walk through how {tech} helped us find the root cause.",
    "Expect live demos, honest numbers and code you can take home.",
    "This talk is for {audience} who want {adjective_lower} {thing} without a rewrite.",
    "Discover what is new in {tech} this year and how it changes the way you build {thing}.",
    "We compare {tech} and {tech2} for {thing}, with benchmarks from production.",
    "Bring a laptop: by the end you will have deployed a working {thing} with {tech}.",
    "{speaker_first} shares {years} years of lessons on {topic}, from first prototype to "
    "thousands of users.",
    "Learn how to measure, budget and improve {thing} with {tech} and {tech2}.",
    "We cover security, observability and cost, and answer your questions at the end.",
    "Join the {topic} community to swap stories, ask questions and meet peers.",
    "A deep dive into the internals of {tech}, for people who like to know how things work.",
    "After this session you will know when {tech} is the right tool, and when it is not.",
    "Our migration from {tech2} to {tech} took {months} months; here is what we would do "
    "differently.",
    "We finish with a checklist for {audience} adopting {thing}.",
)
SENTENCES_FR = (
    "Dans cette session, {company} présente son retour d'expérience sur {thing_fr} avec {tech}.",
    "Nous verrons les bonnes pratiques, les pièges à éviter et les compromis à faire.",
    "Démonstrations en direct, chiffres réels et code à emporter.",
    "Une session pour les équipes qui veulent progresser sur {topic_fr} sans tout réécrire.",
    "Apportez votre ordinateur : à la fin de l'atelier, vous aurez déployé une application avec "
    "{tech}.",
    "{speaker_first} partage {years} ans d'expérience sur {topic_fr}, du prototype à la "
    "production.",
    "Nous terminerons par une séance de questions-réponses.",
    "Migration de {tech2} vers {tech} en {months} mois : ce qui a marché, ce qui n'a pas marché.",
)


@dataclass(frozen=True, slots=True)
class _Template:
    kind: str
    text: str
    weight: int


TITLES = (
    _Template("talk", "{verb} {thing} with {tech}", 12),
    _Template("talk", "{tech} in production: lessons from {company}", 8),
    _Template("talk", "{adjective} {thing} for {audience}", 8),
    _Template("talk", "Deep dive: {tech} and {thing}", 6),
    _Template("talk", "What's new in {tech}", 5),
    _Template("talk", "From {tech2} to {tech}: a migration story", 5),
    _Template("talk", "{number} ways to improve your {thing}", 4),
    _Template("talk", "How {company} does {topic}", 4),
    _Template("workshop", "Hands-on lab: {verb} {thing} with {tech}", 6),
    _Template("workshop", "Workshop: {tech} from zero to production", 3),
    _Template("panel", "Panel: the future of {topic}", 3),
    _Template("lightning", "Lightning talk: {tech} tips you can use tomorrow", 3),
    _Template("meetup", "{topic_title} community meetup", 2),
    _Template("meetup", "Birds of a feather: {thing}", 1),
)
TITLES_FR = (
    _Template("talk", "Retour d'expérience : {tech} chez {company}", 6),
    _Template("talk", "{verb_fr} {thing_fr} avec {tech}", 6),
    _Template("talk", "Introduction à {tech}", 3),
    _Template("workshop", "Atelier : {verb_fr} {thing_fr} avec {tech}", 3),
    _Template("panel", "Table ronde : l'avenir de {topic_fr_bare}", 2),
    _Template("meetup", "Rencontre de la délégation française : {topic_fr}", 1),
)
SUBTITLES = _listed(
    """
    Level {level}, Repeat session, Sponsored by {company}, Builders' session, Code talk,
    Chalk talk, With live Q&A, Session en français
    """
)

# (minutes, weight) for regular sessions, then the gaps between them in a room.
DURATIONS = ((20, 6), (30, 20), (45, 30), (60, 25), (90, 10), (120, 5))
GAPS = ((0, 3), (5, 2), (10, 3), (15, 4), (30, 1))


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


class _Words(dict[str, str]):
    """Fills templates from the word lists; each placeholder is drawn only when a template
    uses it, from the one random generator, so the output depends on nothing else."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def fill(self, template: str, **fixed: str) -> str:
        self.clear()
        self.update(fixed)
        return template.format_map(self)

    def __missing__(self, key: str) -> str:
        rng = self.rng
        value: str
        if key in ("tech", "tech2"):
            self["tech"], self["tech2"] = rng.sample(TECHS, 2)
            return self[key]
        if key == "topic_title":
            topic = self["topic"]
            value = topic[:1].upper() + topic[1:]
        elif key == "topic_fr_bare":
            value = self["topic_fr"].removeprefix("la ").removeprefix("les ")
        elif key == "adjective_lower":
            value = self["adjective"].lower()
        elif key in _NUMBERS:
            value = str(rng.choice(_NUMBERS[key]))
        else:
            value = rng.choice(_WORDS[key])
        self[key] = value
        return value


_WORDS: dict[str, Sequence[str]] = {
    "thing": THINGS,
    "thing_fr": THINGS_FR,
    "topic": TOPICS,
    "topic_fr": TOPICS_FR,
    "verb": VERBS,
    "verb_fr": VERBS_FR,
    "adjective": ADJECTIVES,
    "audience": AUDIENCES,
    "company": COMPANIES,
}
_NUMBERS: dict[str, Sequence[int]] = {
    "number": (3, 5, 7, 10, 12),
    "percent": tuple(range(15, 80)),
    "years": tuple(range(3, 25)),
    "months": tuple(range(3, 30)),
    "level": (100, 200, 300, 400),
}


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    company: str
    bio: str


def _speaker_pool(rng: random.Random, words: _Words, size: int) -> list[_Person]:
    people = []
    for _ in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = rng.choice(COMPANIES)
        if rng.random() < 0.15:
            bio = words.fill(
                f"{first} est {rng.choice(ROLES_FR)} chez {company} et s'intéresse à {{topic_fr}}."
            )
        else:
            bio = words.fill(
                f"{first} is a {rng.choice(ROLES)} at {company}, working on {{thing}} with "
                "{tech}. Before that, {first} spent {years} years in {audience}.",
                first=first,
            )
        people.append(_Person(f"{first} {last}", company, bio))
    return people


def _room(number: int) -> str:
    venue = VENUES[number % len(VENUES)]
    level = (number // len(VENUES)) % LEVELS + 1
    index = number // (len(VENUES) * LEVELS) + 1
    return f"{venue} – Level {level} – Room {level}{index:02d}"


# Items everyone attends, one of each per day, when the catalogue is big enough for them.
_PLENARY = (
    ("keynote", "Keynote: {topic_title} for everyone", time(9, 0), time(10, 30), "Main Hall"),
    ("meal", "Lunch", time(12, 0), time(13, 30), "Dining Hall – Level 0"),
    ("social", "Evening reception", time(19, 0), time(23, 0), "Grand Foyer"),
)


def synthetic_sessions(
    sessions: int = 50_000, seed: int = 1, *, days: int = DAYS
) -> Iterator[dict[str, Any]]:
    """The sessions of the synthetic catalogue, as native-format objects, one at a time."""
    if sessions < 1 or days < 1:
        raise ValueError("need at least one session and one day")
    rng = random.Random(seed)
    maker = _Maker(rng, _Words(rng), days, sessions)
    day_list = [FIRST_DAY + timedelta(days=n) for n in range(days)]

    if sessions >= 20 * days:
        for day in day_list:
            for kind, title, begins, ends, place in _PLENARY:
                yield maker.item(
                    kind,
                    title,
                    "en",
                    datetime.combine(day, begins),
                    datetime.combine(day, ends),
                    place,
                    details=kind == "keynote",
                )
        for number in range(max(1, sessions // 500)):
            if maker.made >= sessions:
                return
            day = day_list[number % days]
            yield maker.item(
                "booth",
                f"{COMPANIES[number % len(COMPANIES)]} booth",
                "en",
                datetime.combine(day, time(10, 0)),
                datetime.combine(day, time(18, 0)),
                f"Expo Hall – Booth {100 + number}",
                details=False,
            )

    # Regular sessions: fill each room's day back to back, room by room over the days, opening
    # another room whenever its days are full.
    room = 0
    day_index = 0
    cursor = _room_day_start(rng, day_list[0])
    while maker.made < sessions:
        day = day_list[day_index]
        end = cursor + timedelta(minutes=_weighted(rng, DURATIONS))
        if end > datetime.combine(day, DAY_END):
            day_index += 1
            if day_index == days:
                day_index = 0
                room += 1
            cursor = _room_day_start(rng, day_list[day_index])
            continue
        french = rng.random() < 0.1
        template = _weighted(rng, _FRENCH_TITLES if french else _ENGLISH_TITLES)
        yield maker.item(
            template.kind, template.text, "fr" if french else "en", cursor, end, _room(room)
        )
        cursor = end + timedelta(minutes=_weighted(rng, GAPS))


_ENGLISH_TITLES = tuple((t, t.weight) for t in TITLES)
_FRENCH_TITLES = tuple((t, t.weight) for t in TITLES_FR)


def _room_day_start(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, DAY_START) + timedelta(minutes=rng.choice((0, 0, 15, 30, 60)))


class _Maker:
    """Builds one session object after another, numbering them."""

    def __init__(self, rng: random.Random, words: _Words, days: int, sessions: int) -> None:
        self.rng = rng
        self.words = words
        self.speakers = _speaker_pool(rng, words, max(20, sessions // 3))
        self.made = 0

    def item(
        self,
        kind: str,
        title_template: str,
        language: str,
        start: datetime,
        end: datetime,
        room: str,
        *,
        details: bool = True,
    ) -> dict[str, Any]:
        """A session; without `details` (meals, booths, receptions) no track, tags or speakers,
        and the kind is always given."""
        rng, words = self.rng, self.words
        self.made += 1
        track_code, track = rng.choice(TRACKS) if details else ("GEN", "")
        session_id = f"{track_code}{rng.choice((1, 2, 3, 4))}{self.made:05d}"
        item: dict[str, Any] = {
            "id": session_id,
            "title": words.fill(title_template),
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": end.strftime("%Y-%m-%dT%H:%M"),
        }
        # One in five regular sessions leaves the kind out, as many exports do; the importer
        # must recognise it from the title.
        if not details or rng.random() >= 0.2:
            item["kind"] = kind
        item["room"] = room
        people: list[_Person] = []
        if details:
            people = rng.sample(self.speakers, _weighted(rng, _SPEAKER_COUNTS))
            item["track"] = track
            item["tags"] = rng.sample(TAGS, rng.randrange(0, 5))
            if rng.random() < 0.2:
                item["subtitle"] = words.fill(rng.choice(SUBTITLES))
        item["language"] = language
        sentences = SENTENCES_FR if language == "fr" else SENTENCES
        first = people[0].name.split()[0] if people else "Our host"
        item["abstract"] = " ".join(
            words.fill(sentence, speaker_first=first)
            for sentence in rng.sample(sentences, rng.randrange(3, min(7, len(sentences)) + 1))
        )
        item["url"] = f"https://summit.example.org/{start.date().isoformat()}/{session_id}"
        if people:
            item["speakers"] = [
                {"name": p.name, "company": p.company, "bio": p.bio} for p in people
            ]
        return item


_SPEAKER_COUNTS = ((1, 60), (2, 25), (3, 10), (4, 5))


def write_synthetic(
    path: str | Path, sessions: int = 50_000, seed: int = 1, *, days: int = DAYS
) -> Path:
    """Write the synthetic catalogue to `path` (UTF-8 native JSON) and return the path."""
    target = Path(path)
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write('{"hallway": 1,\n "conference": ')
        out.write(json.dumps(CONFERENCE, ensure_ascii=False))
        out.write(',\n "sessions": [\n')
        for number, item in enumerate(synthetic_sessions(sessions, seed, days=days)):
            if number:
                out.write(",\n")
            out.write("  ")
            out.write(json.dumps(item, ensure_ascii=False))
        out.write("\n ]}\n")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synthetic", description=__doc__.split("\n\n", 1)[0]
    )
    parser.add_argument("output", type=Path, help="the JSON file to write")
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=DAYS)
    args = parser.parse_args(argv)
    path = write_synthetic(args.output, args.sessions, args.seed, days=args.days)
    print(f"wrote {args.sessions} sessions to {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
