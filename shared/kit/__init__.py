"""The service kit: each recurring piece of plumbing solved once, used the same way by every
service. ``consumer`` (decode, inbox, retry, set aside, commit after the effect, driven by a
dispatch table), ``publicatie`` (the one outgoing port), ``fouten`` (refusals and their HTTP
answer), ``klok`` (now), ``app`` (the FastAPI factory). See services/README.md for where each
kind of change goes."""
