"""The ACL set follows from the topic registry and the house configurations (no broker)."""

from __future__ import annotations

from shared import huisdeployment as hd
from shared import kafka_acls as ka
from shared.contracts.huizen import HuisId
from shared.contracts.topics import (
    DJI_DETENTIE,
    POLITIE_MUTATIES,
    afzender,
    alle_topics,
    cijfers_topic,
    meldingen_topic,
    overdracht_topic,
    radicalisering_topic,
    zsm_terugmelding_topic,
)


def _van(principal: str) -> set[tuple[str, str, str, str]]:
    return {(r.soort, r.naam, r.patroon, r.operatie) for r in ka.gewenste_regels()
            if r.principal == principal}


def test_elk_huis_heeft_een_principal_met_zijn_eigen_prefix():
    assert ka.principals()[:5] == [f"huis-{h.value}" for h in HuisId]
    for h in HuisId:
        regels = _van(ka.huis_principal(h))
        assert ("TOPIC", f"vhh.{h.value}.", "PREFIXED", "READ") in regels
        assert ("GROUP", f"vhh-{h.value}.", "PREFIXED", "READ") in regels
        assert ("TRANSACTIONAL_ID", f"outbox-relay.{h.value}.", "PREFIXED", "WRITE") in regels
        # nothing of another house, literal or prefixed, but reading its published counts
        andere = [a.value for a in HuisId if a != h]
        cijfers = {cijfers_topic(a).naam for a in HuisId}
        assert not any(a in naam for _, naam, _, _ in regels for a in andere
                       if naam not in cijfers)
        assert not any(a in naam for _, naam, _, o in regels for a in andere if o != "READ")


def test_de_namen_van_een_huisdeployment_vallen_onder_de_prefix_van_het_huis():
    for d in hd.alle():
        env = d.omgeving(lambda db: db, {})
        for sleutel, waarde in env.items():
            if sleutel.endswith("_INSTANTIE"):
                # consumer group vhh-<naam>, transactional id outbox-relay.<naam>
                assert waarde.startswith(f"{d.huis.value}.")


def test_feedleveranciers_schrijven_alleen_hun_eigen_feed():
    assert _van("politie") == {("TOPIC", POLITIE_MUTATIES.naam, "LITERAL", "WRITE")}
    assert _van("dji") == {("TOPIC", DJI_DETENTIE.naam, "LITERAL", "WRITE")}


def test_provinciale_rapportage_leest_alleen_de_cijfers():
    assert {(s, n, o) for s, n, _, o in _van("rapportage-provincie") if s == "TOPIC"} == {
        ("TOPIC", f"limburg.rapportage.cijfers.{h.value}.v1", "READ") for h in HuisId}


def test_een_huis_schrijft_alleen_zijn_eigen_cijfers_en_overdrachten():
    """A topic per sending house with a literal WRITE for that house alone: the topic proves
    who sent a record on it."""
    schrijvers: dict[str, set[str]] = {}
    for r in ka.gewenste_regels():
        if r.soort == "TOPIC" and r.operatie == "WRITE":
            schrijvers.setdefault(r.naam, set()).add(r.principal)
    for h in HuisId:
        for topic in (cijfers_topic(h), overdracht_topic(h)):
            assert schrijvers[topic.naam] == {ka.huis_principal(h)}, topic.naam
            assert afzender(topic.naam) is h
    assert afzender(meldingen_topic(HuisId.PARKSTAD).naam) is None
    # every house's reporting reads every house's figures for the overview
    for h in HuisId:
        assert {("TOPIC", cijfers_topic(a).naam, "LITERAL", "READ") for a in HuisId} <= _van(
            ka.huis_principal(h))
    # the shared topics every house could write are gone from the registry and the ACLs
    namen = {t.naam for t in alle_topics()} | {r.naam for r in ka.gewenste_regels()}
    assert not namen & {"limburg.rapportage.cijfers.v1", "limburg.overdracht.v1"}


def test_de_provinciale_nazorg_leest_alleen_de_huizen_die_hem_gebruiken():
    regels = _van("nazorg-provincie")
    gelezen = {n for s, n, _, o in regels if s == "TOPIC" and o == "READ"}
    geschreven = {n for s, n, _, o in regels if s == "TOPIC" and o == "WRITE"}
    # Maastricht-Heuvelland runs its own nazorg (deploy/gebiedsindeling.toml)
    assert "vhh.maastricht-heuvelland.meldingen.v1" not in gelezen
    assert "vhh.maastricht-heuvelland.nazorg.v1" not in geschreven
    assert not any("maastricht-heuvelland" in r.naam for r in ka.gewenste_regels()
                   if r.principal == "nazorg-provincie")
    gebruikers = [d.huis for d in hd.alle() if "nazorg" in d.provinciaal]
    assert gebruikers and HuisId.MAASTRICHT_HEUVELLAND not in gebruikers
    assert {meldingen_topic(h).naam for h in gebruikers} <= gelezen


def test_de_acls_van_de_provinciale_nazorg_volgen_de_huisconfiguratie():
    from dataclasses import replace

    deployments = [replace(d, eigen=(*d.eigen, "nazorg"), provinciaal=("intake",))
                   if d.huis == HuisId.PARKSTAD else d for d in hd.alle()]
    regels = {(r.naam, r.operatie) for r in ka.gewenste_regels(deployments)
              if r.principal == "nazorg-provincie"}
    assert ("vhh.parkstad.meldingen.v1", "READ") not in regels
    assert ("vhh.noord-limburg.meldingen.v1", "READ") in regels


def test_de_router_leest_de_feeds_en_schrijft_in_elk_huis_alleen_meldingen_en_overdrachten():
    regels = _van("intake")
    geschreven = {n for s, n, _, o in regels if s == "TOPIC" and o == "WRITE"}
    assert {f"vhh.{h.value}.meldingen.v1" for h in HuisId} <= geschreven
    assert {f"vhh.{h.value}.overdrachten.v1" for h in HuisId} <= geschreven
    assert {radicalisering_topic(h).naam for h in HuisId} <= geschreven
    assert not {n for n in geschreven if n.startswith("vhh.")
                and not n.endswith((".meldingen.v1", ".overdrachten.v1", ".radicalisering.v1"))}
    assert ("TOPIC", POLITIE_MUTATIES.naam, "LITERAL", "READ") in regels
    for h in HuisId:
        assert ("TOPIC", f"limburg.overdracht.{h.value}.v1", "LITERAL", "READ") in regels


def test_een_huis_mag_overdrachten_aanbieden_maar_niet_lezen():
    regels = _van("huis-parkstad")
    assert ("TOPIC", "limburg.overdracht.parkstad.v1", "LITERAL", "WRITE") in regels
    assert not {n for s, n, _, o in regels if s == "TOPIC" and "overdracht" in n and o == "READ"
                and not n.startswith("vhh.parkstad.")}


def test_elke_acl_betreft_een_topic_uit_het_register():
    namen = [t.naam for t in alle_topics()]
    for r in ka.gewenste_regels():
        if r.soort == "TOPIC":
            assert any(n == r.naam if r.patroon == "LITERAL" else n.startswith(r.naam)
                       for n in namen), r


def _namen(instellingen: dict[str, str]) -> tuple[set[str], set[str]]:
    """The consumer groups and transactional ids a part's processes use, from its settings
    (the services' defaults where it sets none)."""
    groepen, transacties = set(), set()
    for dienst, extra in (("triage", ()), ("regie", ()), ("nazorg", ()),
                          ("reporting", ("-provincie",))):
        instantie = instellingen.get(f"VHH_{dienst.upper()}_INSTANTIE")
        if instantie:
            groepen |= {f"vhh-{instantie}", *(f"vhh-{instantie}{e}" for e in extra)}
            transacties.add(f"outbox-relay.{instantie}")
    return groepen, transacties


def _gedekt(principal: str, soort: str, naam: str) -> bool:
    return any(r.principal == principal and r.soort == soort
               and (r.naam == naam if r.patroon == "LITERAL" else naam.startswith(r.naam))
               for r in ka.gewenste_regels())


def test_de_namen_van_elk_proces_van_vhh_run_vallen_onder_de_acls_van_zijn_principal():
    from shared import procesplan
    from shared.contracts.topics import outbox_voortgang_topic

    for deel in procesplan.plan():
        groepen, transacties = _namen(deel.instellingen)
        if deel.naam == "intake":
            groepen, transacties = {ka.INTAKE_GROEP}, {"outbox-relay.intake"}
        assert groepen or deel.naam == "intake", deel.naam
        for g in groepen:
            assert _gedekt(deel.principal, "GROUP", g), (deel.principal, g)
        for t in transacties:
            assert _gedekt(deel.principal, "TRANSACTIONAL_ID", t), (deel.principal, t)
        # every relay writes its service's progress topic
        for dienst in {p.dienst for p in deel.processen}:
            assert _gedekt(deel.principal, "TOPIC", outbox_voortgang_topic(dienst).naam), dienst


def test_radicaliseringssignalen_hebben_een_eigen_topic_dat_alleen_de_router_schrijft():
    """Signals of radicalisation never reach the provincial nazorg, which reads the meldingen
    of the houses it serves: they are on a topic of their own that only intake writes (the
    house's own services read it under the house's prefix) and no other principal reaches."""
    for h in HuisId:
        naam = radicalisering_topic(h).naam
        assert naam in {t.naam for t in alle_topics()}
        toegang = {(r.principal, r.operatie) for r in ka.gewenste_regels()
                   if r.soort == "TOPIC" and r.naam == naam}
        assert toegang == {("intake", "WRITE")}
        anderen = {r.principal for r in ka.gewenste_regels() if r.soort == "TOPIC"
                   and r.patroon == "PREFIXED" and naam.startswith(r.naam)}
        assert anderen == {ka.huis_principal(h)}
    assert not {n for _, n, _, _ in _van("nazorg-provincie") if "radicalisering" in n}


def test_zsm_leest_alleen_de_terugmeldingen_en_elk_huis_schrijft_alleen_de_zijne():
    assert "zsm" in ka.principals()
    assert {(s, n, o) for s, n, _, o in _van("zsm") if s == "TOPIC"} == {
        ("TOPIC", zsm_terugmelding_topic(h).naam, "READ") for h in HuisId}
    for h in HuisId:
        geschreven = {n for s, n, _, o in _van(ka.huis_principal(h))
                      if s == "TOPIC" and o == "WRITE" and n.startswith("limburg.zsm.")}
        assert geschreven == {zsm_terugmelding_topic(h).naam}
        assert afzender(zsm_terugmelding_topic(h).naam) == h
