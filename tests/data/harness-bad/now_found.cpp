// xfail: scan.not-analysed -- on purpose: this is found, so the xfail must be flagged
