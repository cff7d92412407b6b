"""``sanctrack report ...``: one subcommand per query helper, with the same filters, the
same database option and the output formats of :mod:`sanctrack.queries.cli`.

Each command's signature is built from shared parameters (:data:`FILTERS`, :data:`OUTPUT`)
and the helper's own options, so that every report spells an option the same way.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import typer
from sqlalchemy.orm import Session

from sanctrack.cli_options import Database, Wait, open_database
from sanctrack.queries.cli import FORMATS, check_destination, emit
from sanctrack.queries.result import QueryResult
from sanctrack.terminal import errors_reported

report_app = typer.Typer(
    help="Reports computed from the database; each takes the same filters and formats.",
    no_args_is_help=True,
)

Opt = typer.Option
KW = inspect.Parameter.KEYWORD_ONLY


def _param(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, KW, annotation=annotation, default=default)


#: The filters every report takes (CLI name -> the helpers' keyword, see FilterArgs).
FILTERS = [
    _param("supplier", Annotated[list[str] | None, Opt(help="Supplier code or name")]),
    _param("recipient", Annotated[list[str] | None, Opt(help="Recipient code or name")]),
    _param("category", Annotated[list[str] | None, Opt(help="Category slug (with subcategories)")]),
    _param("materiel", Annotated[list[str] | None, Opt(help="Materiel-type slug (e.g. kn-23)")]),
    _param("level", Annotated[str | None, Opt(help="top or leaf (default: the report's)")], None),
    _param("year", Annotated[list[int] | None, Opt(help="Keep these years")]),
    _param("min_reliability", Annotated[str | None, Opt(help="A-F")]),
    _param("dataset", Annotated[list[str] | None, Opt(help="Dataset id")]),
    _param("source", Annotated[list[str] | None, Opt(help="Source id")]),
    _param(
        "status",
        Annotated[
            list[str] | None,
            Opt(help="Transfer statuses counted (default: all but pledged, planned)"),
        ],
    ),
    _param(
        "as_of",
        Annotated[str | None, Opt("--as-of", help="Only sources published on or before")],
    ),
]
#: Renamed on the way to the helpers.
HELPER_NAMES = {"year": "years", "dataset": "datasets", "source": "sources"}
YEAR_SPLIT = _param(
    "year_split",
    Annotated[str, Opt(help="A multi-year claim's share of a year: prorate, start or end")],
    "prorate",
)
CLAIM_POLICY = _param(
    "claim_policy",
    Annotated[str, Opt(help="envelope (every claim), most_reliable, newest, highest_credibility")],
    "envelope",
)
UNIT = _param("unit", Annotated[list[str] | None, Opt(help="Only rows in these units")])
OUTPUT = [
    _param("database", Database),
    _param(
        "fmt",
        Annotated[
            # The registered formats: one more is one more writer in FORMATS.
            cast(Any, Literal)[tuple(FORMATS)],
            Opt("--format", "-f", help="Output format"),
        ],
        "table",
    ),
    _param(
        "output",
        Annotated[
            Path | None,
            Opt("--output", "-o", dir_okay=False, help="Write to this file, not standard output"),
        ],
    ),
    _param("wait", Wait),
]

Run = Callable[..., QueryResult[Any]]


def report(
    name: str,
    helper: Run,
    options: list[inspect.Parameter],
    *,
    unit: bool = True,
    skip: tuple[str, ...] = (),
) -> Callable[[Callable[..., None]], None]:
    """Register ``sanctrack report NAME``: the decorated function only carries the help
    text (its docstring); the command runs ``helper`` with the filters (but ``skip``) and
    ``options``; ``unit`` offers --unit (for rows that have a unit)."""

    def register(doc: Callable[..., None]) -> None:
        own = [p.name for p in options]
        filters = [p for p in FILTERS if p.name not in skip]

        def command(**given: Any) -> None:
            run_report(helper, {p.name: None for p in FILTERS} | given, own, skip)

        params = filters + options + ([UNIT] if unit else []) + OUTPUT
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__doc__ = doc.__doc__
        command.__name__ = doc.__name__
        report_app.command(name)(command)

    return register


def run_report(
    helper: Run, given: dict[str, Any], own: list[str], skip: tuple[str, ...] = ()
) -> None:
    """Check the names, run ``helper`` (with the filters but ``skip``), keep the rows of
    the units asked, print."""
    from sanctrack.queries.filters import make_filters
    from sanctrack.queries.names import check_names

    kwargs = {
        HELPER_NAMES.get(p.name, p.name): given[p.name] for p in FILTERS if p.name not in skip
    }
    if kwargs.get("level", "") is None:
        del kwargs["level"]  # timeline and sources default to "leaf", the others to "top"
    units: list[str] | None = given.get("unit")
    with errors_reported():
        # The filters' own errors (an unknown state, a bad year) come before the database's.
        choices = {name: given[name] for name in ("year_split", "claim_policy") if name in own}
        make_filters(**kwargs, **choices)
        check_destination(given["fmt"], given["output"])
        kwargs.update({name: given[name] for name in own})
        engine = open_database(given["database"], given["wait"], create=False)
        try:
            with Session(engine) as session:
                for kind, names in (
                    ("category", given["category"]),
                    ("dataset", given["dataset"]),
                    ("source", given["source"]),
                    ("materiel", given["materiel"]),
                    ("unit", units),
                ):
                    check_names(session, kind, names)
                result = helper(session, **kwargs)
        finally:
            engine.dispose()
        if units:
            result.rows = [r for r in result.rows if getattr(r, "unit", None) in units]
        emit(result, given["fmt"], given["output"])


def _flag(name: str, default: bool, help: str) -> inspect.Parameter:
    return _param(name, Annotated[bool, Opt(help=help)], default)


def _mount() -> None:
    from sanctrack import queries

    @report("by-year-category", queries.transfers_by_year_and_category, [YEAR_SPLIT, CLAIM_POLICY])
    def by_year_category() -> None:
        """Quantities per year, category and unit (low, best, high, counts).

        Example: sanctrack report by-year-category --supplier PRK --recipient RUS --year 2024
        """

    @report("flows", queries.flows, [YEAR_SPLIT, CLAIM_POLICY])
    def flows() -> None:
        """Supplier x recipient flows by category, over each transfer's whole period.

        Example: sanctrack report flows --category artillery-ammunition -f csv -o flows.csv
        """

    @report("timeline", queries.timeline, [CLAIM_POLICY])
    def timeline() -> None:
        """Transfers ordered by start, each with its bounds and sources.

        Example: sanctrack report timeline --supplier PRK --recipient RUS --year 2024
        """

    multi = _flag("multi_source_only", False, "Only transfers that several sources speak about")

    @report("sources", queries.source_comparison, [CLAIM_POLICY, multi])
    def sources() -> None:
        """Every claim on the selected transfers, as stated, source by source.

        Example: sanctrack report sources --supplier PRK --multi-source-only
        """

    inferred = _flag("inferred", True, "Also the violations inferred by rules and cap totals")

    @report("violations", queries.violations, [inferred, YEAR_SPLIT, CLAIM_POLICY], unit=False)
    def violations() -> None:
        """Each transfer with the provisions it violates.

        Example: sanctrack report violations --supplier PRK --no-inferred
        """

    @report(
        "caps",
        queries.cap_checks,
        [YEAR_SPLIT, CLAIM_POLICY],
        skip=("supplier", "recipient", "category", "level"),
    )
    def caps() -> None:
        """Every cap provision in every year with deliveries: the totals and the verdict.

        The cap's target and categories take the place of the state and category filters.

        Example: sanctrack report caps --year 2024
        """

    transfer = _param(
        "transfer", Annotated[list[str] | None, Opt(help="Only these transfer ids (keys)")]
    )
    by = _param("by", Annotated[Literal["month", "year"], Opt(help="Step")], "month")

    @report("series", queries.series, [transfer, by, YEAR_SPLIT, CLAIM_POLICY])
    def series() -> None:
        """The running total and the flow per month or year, with their bounds.

        Example: sanctrack report series --category containers --by year
        """

    @report("carriers", queries.carriers, [], unit=False)
    def carriers() -> None:
        """The vessels, aircraft and organisations that carried the selected transfers.

        Each with its transfers, sources, designations and owners.

        Example: sanctrack report carriers --supplier PRK --recipient RUS
        """

    @report("designated-carriers", queries.designated_carriers, [], unit=False)
    def designated_carriers() -> None:
        """The carriers of sanctioned transfers that a regime has designated.

        Example: sanctrack report designated-carriers --category ammunition
        """

    @report("undesignated-carriers", queries.undesignated_carriers, [], unit=False)
    def undesignated_carriers() -> None:
        """The carriers of sanctioned transfers that no regime has designated yet.

        Each with its owners and their designations: what a designations desk asks for.

        Example: sanctrack report undesignated-carriers -f csv -o to-designate.csv
        """

    vessel = _param(
        "vessel", Annotated[str | None, Opt(help="A vessel: its id, IMO number or any name")]
    )
    only = ("dataset",)

    @report(
        "owners",
        queries.owners,
        [
            vessel,
            _param("aircraft", Annotated[str | None, Opt(help="An aircraft: id or registration")]),
            _param(
                "organisation",
                Annotated[str | None, Opt(help="An organisation owned: its id or name")],
            ),
            _param("owner", Annotated[str | None, Opt(help="An owner (organisation or person)")]),
            _param(
                "roles",
                Annotated[
                    list[str] | None,
                    Opt("--role", help="Only links in this role (owner, operator...)"),
                ],
            ),
        ],
        unit=False,
        skip=tuple(p.name for p in FILTERS if p.name not in only),
    )
    def owners() -> None:
        """The ownership and operator links of vessels, aircraft and organisations.

        By asset and in time order, each owner with its designations.

        Example: sanctrack report owners --vessel Maia-1 --role owner
        """

    port = _param("port", Annotated[str | None, Opt(help="A port (UN/LOCODE): at, from or to")])

    @report(
        "movements",
        queries.movements,
        [vessel, port],
        unit=False,
        skip=tuple(p.name for p in FILTERS if p.name not in (*only, "year")),
    )
    def movements() -> None:
        """Port calls, voyages, flights and ship-to-ship transfers, in time order.

        Example: sanctrack report movements --vessel Angara --year 2023 -f csv
        """


_mount()
