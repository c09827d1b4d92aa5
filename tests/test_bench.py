"""The benchmark helpers: Kneser-Ney baseline, musical statistics, OCR scoring."""
import math

import numpy as np
import pytest

from bench.music_stats import pitch_class_entropy, pitch_range, scale_consistency
from bench.ngram import distribution, fit_kneser_ney, log_probs
from bench.ocr import cer, levenshtein


@pytest.fixture(scope="module")
def kn():
    rng = np.random.default_rng(0)
    seqs = [np.concatenate([[9], rng.integers(0, 9, size=200)]) for _ in range(5)]
    seqs += [np.array([9] + [1, 2, 3] * 50)]  # a repeated pattern the model should learn
    return fit_kneser_ney(seqs, vocab=10, order=3)


def test_kneser_ney_distributions_sum_to_one(kn):
    for context in ([], [1], [1, 2], [7, 7], [9, 0]):
        p = distribution(kn, np.array(context, dtype=np.int64))
        assert p.shape == (10,)
        assert (p > 0).all()  # every id keeps some mass (uniform floor)
        assert p.sum() == pytest.approx(1.0, abs=1e-9)


def test_kneser_ney_learns_a_pattern(kn):
    p = distribution(kn, np.array([1, 2]))
    assert p.argmax() == 3 and p[3] > 0.5
    # log_probs of a sequence agree with the per-step distributions
    seq = np.array([9, 1, 2, 3, 1])
    lp = log_probs(kn, seq)
    assert lp.shape == (4,)
    assert lp[2] == pytest.approx(math.log(distribution(kn, seq[:3])[3]))


def test_scale_statistics_on_a_c_major_scale():
    notes = [(i * 0.5, i * 0.5 + 0.5, p, 80) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])]
    assert scale_consistency(notes) == pytest.approx(1.0)
    assert pitch_range(notes) == 12
    # 7 pitch classes, C twice: entropy just under log2(7)
    counts = np.array([2, 1, 1, 1, 1, 1, 1]) / 8
    assert pitch_class_entropy(notes) == pytest.approx(float(-(counts * np.log2(counts)).sum()))
    chromatic = [(i, i + 1, 60 + i, 80) for i in range(12)]
    assert scale_consistency(chromatic) == pytest.approx(7 / 12)
    assert pitch_class_entropy(chromatic) == pytest.approx(math.log2(12))


def test_cer_and_levenshtein():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert cer("the quick  fox\n", "the quick fox") == 0.0
    assert cer("tha quick fox", "the quick fox") == pytest.approx(1 / 13)
    with pytest.raises(ValueError, match="non-empty"):
        cer("x", "  ")


def test_handwriting_headline_ratios_for_unprimed_and_styled_writing():
    from bench.handwriting import headline, ratio_rows

    fig = {"reference": {"a": {"cer_psm13": {"mean": 0.1}}, "b": {"cer_psm13": {"mean": 0.3}}},
           "model": {"1": {"cer_psm13": {"mean": 0.4}}}, "styled": {"2": {"cer_psm13": {"mean": 0.1}}}}
    h = headline(fig)
    assert h["reference_mean_cer"] == pytest.approx(0.2)
    assert h["1"]["cer"] == pytest.approx(0.4) and h["1"]["ratio_model_over_reference"] == pytest.approx(2.0)
    assert ratio_rows(headline(fig, key="styled"), "style 'x', ", "") == [
        ("style 'x', bias 2: CER 0.100", "ratio to reference 0.50")]
    perfect = {"reference": {"a": {"cer_psm13": {"mean": 0.0}}}, "model": fig["model"]}
    assert ratio_rows(headline(perfect), "", "")[0][1] == "ratio to reference n/a (reference CER 0)"
