"""MIDI <-> event ids. Notes are (start_s, end_s, pitch, velocity); times quantised to 10 ms."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .events import MAX_SHIFT_STEPS, OFFSET, START, STEPS_PER_SECOND, bin_to_velocity, velocity_to_bin

ON, OFF, SHIFT, VEL = OFFSET["NOTE_ON"], OFFSET["NOTE_OFF"], OFFSET["TIME_SHIFT"], OFFSET["VELOCITY"]


def notes_to_ids(notes, start_token: bool = True) -> np.ndarray:
    """(start, end, pitch, velocity) notes -> int16 event ids (START first when start_token).

    Same-pitch overlaps: a unison doubling (two voices starting the pitch on the same 10 ms step, common
    in chorales) becomes one note lasting until the later end; a re-strike of a sounding pitch closes the
    old note first; the pitch is released when its last overlapping note ends.
    """
    marks = []  # (step, order, pitch, velocity); at equal times NOTE_OFF (0) precedes NOTE_ON (1)
    for start, end, pitch, velocity in notes:
        if not 0 <= int(pitch) <= 127:
            raise ValueError(f"note pitch {pitch} outside the MIDI range 0..127")
        s = max(int(round(start * STEPS_PER_SECOND)), 0)
        e = max(int(round(end * STEPS_PER_SECOND)), s + 1)  # notes shorter than 10 ms last one step
        marks.append((s, 1, int(pitch), int(velocity)))
        marks.append((e, 0, int(pitch), 0))
    marks.sort(key=lambda m: (m[0], m[1], m[2]))
    ids = [START] if start_token else []
    now, vel_bin = 0, None
    sounding: dict[int, list[int]] = {}  # pitch -> [overlapping notes holding it, step of its NOTE_ON]
    for step, is_on, pitch, velocity in marks:
        while step > now:
            shift = min(step - now, MAX_SHIFT_STEPS)
            ids.append(SHIFT + shift - 1)
            now += shift
        held = sounding.get(pitch)
        if is_on:
            if held and held[1] == step:  # unison doubling: already struck on this step
                held[0] += 1
                continue
            if held:  # re-strike of a sounding pitch: close the old note first
                ids.append(OFF + pitch)
            b = velocity_to_bin(velocity)
            if b != vel_bin:
                ids.append(VEL + b - 1)
                vel_bin = b
            ids.append(ON + pitch)
            sounding[pitch] = [held[0] + 1 if held else 1, step]
        elif held:
            held[0] -= 1
            if held[0] == 0:
                ids.append(OFF + pitch)
                del sounding[pitch]
    return np.asarray(ids, dtype=np.int16)


def ids_to_notes(ids) -> list[tuple[float, float, int, int]]:
    """Event ids -> notes sorted by start; robust to any sequence a sampler can produce.

    NOTE_OFF of a silent pitch is ignored, a NOTE_ON of a sounding pitch re-strikes it, notes still
    sounding at the end are closed there, and zero-length notes get one 10 ms step.
    """
    now, velocity = 0, 64
    open_notes: dict[int, tuple[int, int]] = {}
    notes = []

    def close(pitch: int) -> None:
        start, vel = open_notes.pop(pitch)
        notes.append((start / STEPS_PER_SECOND, max(now, start + 1) / STEPS_PER_SECOND, pitch, vel))

    for i in np.asarray(ids, dtype=np.int64):
        if ON <= i < OFF:
            pitch = int(i - ON)
            if pitch in open_notes:
                close(pitch)
            open_notes[pitch] = (now, velocity)
        elif OFF <= i < SHIFT:
            if int(i - OFF) in open_notes:
                close(int(i - OFF))
        elif SHIFT <= i < VEL:
            now += int(i - SHIFT) + 1
        elif VEL <= i < START:
            velocity = bin_to_velocity(int(i - VEL) + 1)
    for pitch in list(open_notes):
        close(pitch)
    return sorted(notes, key=lambda n: (n[0], n[2]))


def _load(src, name: str):
    import pretty_midi

    if isinstance(src, pretty_midi.PrettyMIDI):
        return src
    try:
        if isinstance(src, (bytes, bytearray)):
            return pretty_midi.PrettyMIDI(io.BytesIO(src))
        return pretty_midi.PrettyMIDI(str(src))
    except Exception as e:  # pretty_midi/mido raise many types for a bad file
        raise ValueError(f"{name}: not a readable MIDI file ({type(e).__name__}: {e})") from None


def midi_to_ids(src) -> np.ndarray:
    """MIDI (path, bytes or PrettyMIDI) -> ids; all non-drum instruments flattened, drums dropped."""
    name = Path(src).name if isinstance(src, (str, Path)) else "MIDI data"
    pm = _load(src, name)
    notes = [(n.start, n.end, n.pitch, n.velocity) for inst in pm.instruments if not inst.is_drum for n in inst.notes]
    if not notes:
        raise ValueError(f"{name}: no notes (drum tracks are not used)")
    return notes_to_ids(notes)


def ids_to_midi(ids, program: int = 0, tempo_bpm: float = 120.0, time_scale: float = 1.0):
    """Ids -> PrettyMIDI with one instrument of GM `program`; times multiplied by `time_scale`."""
    import pretty_midi

    if not 0 <= int(program) <= 127:
        raise ValueError(f"GM program must be 0..127, got {program}")
    if not tempo_bpm > 0 or not time_scale > 0:
        raise ValueError(f"tempo_bpm and time_scale must be > 0, got {tempo_bpm} and {time_scale}")
    pm = pretty_midi.PrettyMIDI(initial_tempo=float(tempo_bpm))
    inst = pretty_midi.Instrument(program=int(program), name=pretty_midi.program_to_instrument_name(int(program)))
    for start, end, pitch, velocity in ids_to_notes(ids):
        inst.notes.append(pretty_midi.Note(velocity=velocity, pitch=pitch, start=start * time_scale,
                                           end=end * time_scale))
    pm.instruments.append(inst)
    return pm
