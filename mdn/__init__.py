"""Mixture-density maths (Graves 2013, section 4.1): parameter split, log-space NLL, biased sampling."""
