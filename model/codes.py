"""Named indices shared by the state and the rules (so neither imports the other)."""

# Columns of the need arrays ``sat`` and ``frus``.
AUTONOMY, COMPETENCE, RELATEDNESS = 0, 1, 2
NEEDS: tuple[str, ...] = ("autonomy", "competence", "relatedness")

# Columns of the regulation array (Gagné & Deci 2005; integrated regulation is omitted,
# Howard, Gagné & Bureau 2017), from least to most autonomous.
AMOTIVATION, EXTERNAL, INTROJECTED, IDENTIFIED, INTRINSIC = 0, 1, 2, 3, 4
REGULATIONS: tuple[str, ...] = ("amotivation", "external", "introjected", "identified", "intrinsic")

# How an employee came to work on its current task (drives the autonomy experience).
IDLE, ASSIGNED, VOLUNTEERED, CLAIMED = 0, 1, 2, 3

NO_TASK = -1
NO_LEADER = -1
