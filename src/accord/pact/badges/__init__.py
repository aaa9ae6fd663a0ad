"""Status badges (SVG) for pacts, can-i-deploy and can-i-merge, worded as the broker words them."""
