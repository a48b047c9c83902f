"""Review of a batch of reports: the review pack, themes and copy detection."""
