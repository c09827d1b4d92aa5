#!/usr/bin/env bash
# Regenerate the example outputs in samples/ from the shipped checkpoints (run from the repository root,
# inside the project's virtual environment). Every file here is model output, nothing is edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

# music: a 30 s chorale-style piece (seed 1) and a string-ensemble take at a slower tempo (seed 7)
studio generate music --seconds 30 --seed 1 -o samples/music/song_seed1.mid --musicxml --png  # add --wav to hear it (5 MB, not shipped)
studio generate music --seconds 30 --seed 7 --tempo 80 --instrument "String Ensemble 1" \
    -o samples/music/strings_seed7.mid --musicxml --png

# handwriting: the issue's sentence with the defaults (style 'quick print', bias 1.5) and unprimed, an animated
# SVG, and one sentence in each shipped style
studio write "The quick brown fox jumps over the lazy dog 0123456789?!" -o samples/handwriting/fox.svg --png
studio write "The quick brown fox jumps over the lazy dog 0123456789?!" --style none \
    -o samples/handwriting/fox_unprimed.svg --png
studio write "Handwriting synthesis with an LSTM and a soft attention window." -o samples/handwriting/animated.svg --animate
i=0
for style in "neat print" "quick print" "quick cursive" "slanted script"; do
    i=$((i + 1))
    studio write "Pack my box with five dozen liquor jugs." --style "$style" \
        -o "samples/handwriting/style${i}_${style// /_}.svg" --png
done

# the training data itself: the first lines of the synthetic Hershey corpus the shipped model learned from
python -m handwriting.hershey_corpus --lines 40000 --seed 0 --preview samples/handwriting/corpus_preview.png --preview-lines 7
