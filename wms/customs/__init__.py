"""Customs: filings, the bonded account book (账册), CEB messages and the customs gateway."""
