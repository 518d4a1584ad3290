"""The demo's workstations and its county's fixed place: light, for the command line's options."""

from __future__ import annotations

DEMO_WORKSTATIONS = ("W01", "W02", "V01")  # the front window, the back office, the proxy laptop
COUNTY_OWNER = "W01"  # holds the seeded centre, and starts the demo county
DEMO_COUNTY_PORT = 8701  # on 127.0.0.1
DEMO_CLERK_SECONDS = 20.0
# Who signs in where: the login window of a second workstation offers its demo user.
DEMO_SIGN_IN = {"W02": "approver1", "V01": "proxy1"}
