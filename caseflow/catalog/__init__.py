"""The catalog: every 行政处罚 and 行政强制 item of the published 权责清单, as reviewable data."""
