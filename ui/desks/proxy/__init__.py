"""代办台: the proxy agent's filings, authorizations and new filings for residents."""
