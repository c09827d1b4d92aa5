"""Shared training core: loop, optimizer, schedule, checkpoints, DDP. Knows nothing of music or handwriting."""
